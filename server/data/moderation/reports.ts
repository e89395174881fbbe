// The operators' view of reports: messages (from the chat module's table) and posts and profiles
// (the social module's), newest first, in one list. Only operators reach these functions
// (server/api/operator/router.ts decides who is one).
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db, type Prisma } from "../db";

export const MAX_REPORTS_PAGE = 100;

const personSelect = { id: true, handle: true, displayName: true, suspendedAt: true } satisfies Prisma.UserSelect;
type PersonRow = Prisma.UserGetPayload<{ select: typeof personSelect }>;

export interface ReportedPerson {
  userId: string;
  handle: string;
  displayName: string;
  suspended: boolean;
}

interface ReportBase {
  id: string;
  createdAt: Date;
  reason: string;
  note: string | null;
  dismissedAt: Date | null;
  reporter: ReportedPerson;
  /** Whom the report is about: the message's claimed sender, the post's author, the profile's owner. */
  subject: ReportedPerson;
}

export type ReportView =
  | (ReportBase & { kind: "message"; body: string; sentAt: Date; deliveredAt: Date; verdict: string })
  | (ReportBase & { kind: "post"; post: { id: string; text: string } })
  | (ReportBase & { kind: "profile" });

export type ReportKind = ReportView["kind"];

function personOf(row: PersonRow): ReportedPerson {
  return { userId: row.id, handle: row.handle, displayName: row.displayName, suspended: row.suspendedAt !== null };
}

/** The newest reports of every kind, dismissed ones included. */
export async function listReports(options: { actor: PersonActor; purpose: "core.moderation"; limit?: number }): Promise<ReportView[]> {
  const take = Math.min(options.limit ?? MAX_REPORTS_PAGE, MAX_REPORTS_PAGE);
  const client = db();
  const [messages, social] = await Promise.all([
    client.chatMessageReport.findMany({
      orderBy: { createdAt: "desc" },
      take,
      include: { reporter: { select: personSelect }, claimedSender: { select: personSelect } },
    }),
    client.socialReport.findMany({
      orderBy: { createdAt: "desc" },
      take,
      include: { reporter: { select: personSelect }, subject: { select: personSelect }, post: { select: { id: true, text: true } } },
    }),
  ]);
  const views: ReportView[] = [
    ...messages.map((r) => ({
      kind: "message" as const,
      id: r.id,
      createdAt: r.createdAt,
      reason: r.reason,
      note: r.note,
      dismissedAt: r.dismissedAt,
      reporter: personOf(r.reporter),
      subject: personOf(r.claimedSender),
      body: r.body,
      sentAt: r.sentAt,
      deliveredAt: r.deliveredAt,
      verdict: r.verdict,
    })),
    ...social.map((r) => {
      const base = {
        id: r.id,
        createdAt: r.createdAt,
        reason: r.reason,
        note: r.note,
        dismissedAt: r.dismissedAt,
        reporter: personOf(r.reporter),
        subject: personOf(r.subject),
      };
      return r.post ? { ...base, kind: "post" as const, post: r.post } : { ...base, kind: "profile" as const };
    }),
  ];
  return views.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).slice(0, take);
}

/**
 * Marks a report as dealt with, without action against anyone.
 * @throws AppError NOT_FOUND for an unknown report
 */
export async function dismissReport(options: { actor: PersonActor; purpose: "core.moderation"; kind: ReportKind; id: string; now: Date }): Promise<void> {
  const where = { id: options.id, dismissedAt: null };
  const data = { dismissedAt: options.now };
  const { count } =
    options.kind === "message"
      ? await db().chatMessageReport.updateMany({ where, data })
      : await db().socialReport.updateMany({ where: { ...where, postId: options.kind === "post" ? { not: null } : null }, data });
  if (!count) {
    const exists =
      options.kind === "message"
        ? await db().chatMessageReport.findUnique({ where: { id: options.id }, select: { id: true } })
        : await db().socialReport.findUnique({ where: { id: options.id }, select: { id: true } });
    if (!exists) throw new AppError("NOT_FOUND", "No such report.");
  }
}
