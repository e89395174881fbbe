// The person's own access log: every use of their data under an optional purpose, every
// export, every operator action. Paged newest first; kept one year.
import "server-only";
import type { PersonActor } from "../actor";
import { db } from "../db";

export const ACCESS_LOG_RETENTION_MS = 365 * 24 * 60 * 60 * 1000;
const PAGE = 50;

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
    select: { id: true, accessor: true, action: true, detail: true, purpose: true, categories: true, createdAt: true },
  });
  return { entries: rows.slice(0, PAGE), nextCursor: rows.length > PAGE ? (rows[PAGE - 1]?.id ?? null) : null };
}

export async function deleteAccessLogOlderThan(options: { purpose: "core.privacy"; olderThan: Date }): Promise<number> {
  const { count } = await db().accessLogEntry.deleteMany({ where: { createdAt: { lt: options.olderThan } } });
  return count;
}
