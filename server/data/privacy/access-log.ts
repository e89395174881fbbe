// The person's own access log: every use of their data under an optional purpose, every
// export, every operator action. Paged newest first; kept one year.
import "server-only";
import type { PersonActor } from "../actor";
import type { AccessActionCode } from "../consent/consent-gate";
import { db } from "../db";

export const ACCESS_LOG_RETENTION_MS = 365 * 24 * 60 * 60 * 1000;
const PAGE = 50;

/** The columns an entry is shown from; the person who looked is read by id, never kept as text. */
export const accessLogEntrySelect = {
  id: true,
  accessor: true,
  action: true,
  detail: true,
  accessorPerson: { select: { handle: true } },
  purpose: true,
  categories: true,
  createdAt: true,
} as const;

/** The codes whose parameter is the person who looked. */
const NAMES_ACCESSOR: ReadonlySet<string> = new Set(["found_by_email", "presence_shown"] satisfies AccessActionCode[]);

/**
 * An entry as its person reads it. `detail` is the action's parameter: for the codes that name
 * who looked, their current `@handle`, or null once that account was purged ("a deleted account").
 */
export function toAccessLogView(row: {
  id: string;
  accessor: string;
  action: string;
  detail: string | null;
  accessorPerson: { handle: string } | null;
  purpose: string;
  categories: string[];
  createdAt: Date;
}) {
  const { accessorPerson, detail, ...rest } = row;
  return { ...rest, detail: NAMES_ACCESSOR.has(row.action) ? (accessorPerson ? `@${accessorPerson.handle}` : null) : detail };
}

export async function listAccessLog(options: {
  actor: PersonActor;
  purpose: "core.privacy";
  /** Only entries of this purpose ("export", "operator" or an optional purpose). */
  filter?: string | null;
  /** The id of the last entry of the previous page. */
  cursor?: string | null;
}) {
  const rows = await db().accessLogEntry.findMany({
    where: { subjectId: options.actor.userId, ...(options.filter ? { purpose: options.filter } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PAGE + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
    select: accessLogEntrySelect,
  });
  return { entries: rows.slice(0, PAGE).map(toAccessLogView), nextCursor: rows.length > PAGE ? (rows[PAGE - 1]?.id ?? null) : null };
}

export async function deleteAccessLogOlderThan(options: { purpose: "core.privacy"; olderThan: Date }): Promise<number> {
  const { count } = await db().accessLogEntry.deleteMany({ where: { createdAt: { lt: options.olderThan } } });
  return count;
}
