// Message franking in the engine (docs/e2ee-protocol.md, "Message franking"): a fresh franking key
// inside each message, its commitment beside every envelope of it, the server's tag kept with the
// received message, and the report that reveals that one message with its proof. Every other
// content carries a random commitment, so the server cannot tell messages from control contents.
import { createFrankingKey, frankingCommitment, isCryptoError, openFrankingTag, type RandomSource } from "../crypto";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { ChatContent } from "./chat-content";
import type { EnvelopeDelivery, FrankingProof, MessageRecord } from "./records";
import type { ReportReason } from "./types";

type FrankedContent = Extract<ChatContent, { t: "text" | "group-text" }> & { fk: string };

function isFranked(content: ChatContent): content is FrankedContent {
  return (content.t === "text" || content.t === "group-text") && content.fk !== undefined;
}

/** A fresh franking key for a new message's content. */
export function newFrankingKey(random: RandomSource): string {
  return toBase64Url(createFrankingKey(random));
}

/** The commitment sent beside the content's envelopes: C for a franked message, random bytes otherwise. */
export function commitmentFor(content: ChatContent, random: RandomSource): string {
  if (!isFranked(content)) return toBase64Url(random(32));
  return toBase64Url(frankingCommitment(fromBase64Url(content.fk), content));
}

/**
 * What lets this device report a received message: null when it carries no franking key, or when
 * the server's tag does not open with the commitment of what was decrypted (the server bound another
 * commitment than this message's: the message is shown, but cannot be reported).
 */
export function frankingProofOf(content: ChatContent, delivery: EnvelopeDelivery | undefined, deviceRowId: string): FrankingProof | null {
  if (!isFranked(content) || !delivery?.franking) return null;
  const commitment = frankingCommitment(fromBase64Url(content.fk), content);
  try {
    const tag = openFrankingTag({ sealed: fromBase64Url(delivery.franking), commitment, deviceRowId });
    return { key: content.fk, commitment: toBase64Url(commitment), tag: toBase64Url(tag), deliveredAt: delivery.deliveredAt };
  } catch (error) {
    if (isCryptoError(error)) return null;
    throw error;
  }
}

/** The report of a received message: its text as first sent (edits are not franked), the proof, and who sent it. */
export function messageReport(record: MessageRecord & { franking: FrankingProof }, senderUserId: string, reason: ReportReason, note: string) {
  const { key, commitment, tag, deliveredAt } = record.franking;
  return {
    message: { id: record.id, sentAt: record.sentAt, body: record.edits?.[0]?.body ?? record.body },
    frankingKey: key,
    commitment,
    tag,
    senderUserId,
    deliveredAt,
    reason,
    ...(note.trim() ? { note: note.trim() } : {}),
  };
}
