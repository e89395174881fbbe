// Reports of chat messages. A report is the only way a message's plaintext reaches the server, and
// only the one message its recipient chose to reveal, stored in chat_message_reports and nowhere
// else. The verdict is decided here, once, from the franking proof (franking.ts); the reporter is
// not told it, so the endpoint cannot be used to ask the server who sent what.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db, Prisma } from "../db";
import { checkFranking } from "./franking";

export type ReportReason = "spam" | "harassment" | "other";
export type MessageReportVerdict = "verified" | "commitment_mismatch" | "tag_mismatch" | "replayed";

/**
 * Stores the reporter's report of one message they received, with its verdict: `verified` when
 * `claimedSenderId` sent exactly this text to the reporter at `deliveredAt`, `replayed` when it
 * would be but that message was already reported.
 * @throws AppError NOT_FOUND when the claimed sender does not exist
 */
export async function createMessageReport(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  message: { id: string; sentAt: number; body: string };
  frankingKey: Uint8Array;
  commitment: Uint8Array;
  tag: Uint8Array<ArrayBuffer>;
  claimedSenderId: string;
  deliveredAt: number;
  reason: ReportReason;
  note: string | null;
  now: Date;
}): Promise<{ id: string }> {
  const client = db();
  const sender = await client.user.findUnique({ where: { id: options.claimedSenderId }, select: { id: true } });
  if (!sender) throw new AppError("NOT_FOUND", "No such account.");
  const checked = checkFranking({ ...options, reporterId: options.actor.userId });
  const row = {
    reporterId: options.actor.userId,
    claimedSenderId: options.claimedSenderId,
    messageId: options.message.id,
    body: options.message.body,
    sentAt: new Date(options.message.sentAt),
    deliveredAt: new Date(options.deliveredAt),
    frankingTag: options.tag,
    reason: options.reason,
    note: options.note,
    createdAt: options.now,
  };
  if (checked !== "verified") return client.chatMessageReport.create({ data: { ...row, verdict: checked }, select: { id: true } });
  try {
    return await client.chatMessageReport.create({ data: { ...row, verdict: "verified" }, select: { id: true } });
  } catch (error) {
    // The partial unique index on verified tags: this message was reported (and verified) before.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    return client.chatMessageReport.create({ data: { ...row, verdict: "replayed" }, select: { id: true } });
  }
}
