// What travels inside a sealed envelope, after decryption: one small JSON document. The sealed
// layer pads it, signs it and hides the sender; this layer only says what the message means.
// Anything that does not parse is dropped by the receiver (and still acknowledged).
import { z } from "zod";

/** Longest message text, in UTF-16 code units (the composer counts the same way). */
export const MAX_TEXT_LENGTH = 4000;

const ZId = z.uuid();
/** Opaque bytes (a signed change, a sender-key message) as base64url; bounded by the envelope's 64 KiB. */
const ZBytes = z
  .string()
  .max(60_000)
  .regex(/^[A-Za-z0-9_-]*$/);

const ZChatContent = z.discriminatedUnion("t", [
  /** A message to the peer's devices. */
  z.object({ t: z.literal("text"), id: ZId, body: z.string().min(1).max(MAX_TEXT_LENGTH), sentAt: z.number().int().nonnegative() }),
  /** The same message, copied to the sender's own other devices so it shows everywhere. */
  z.object({ t: z.literal("sent"), id: ZId, to: ZId, body: z.string().min(1).max(MAX_TEXT_LENGTH), sentAt: z.number().int().nonnegative() }),
  /** The recipient device stored these messages (the sender shows "delivered"). */
  z.object({ t: z.literal("delivered"), ids: z.array(ZId).min(1).max(100) }),
  /** A signed group change (groups/group-change.ts), sent pairwise to every member device. */
  z.object({ t: z.literal("group-change"), change: ZBytes, signature: ZBytes }),
  /**
   * The sender's current sender key for a group (a distribution message), sent pairwise so it
   * inherits the session's post-quantum secrecy, with the first group message it opens.
   */
  z.object({ t: z.literal("group-key"), groupId: ZId, distribution: ZBytes, message: ZBytes }),
  /** A message to a group: only ever inside a sender-key message, never pairwise. */
  z.object({ t: z.literal("group-text"), id: ZId, groupId: ZId, body: z.string().min(1).max(MAX_TEXT_LENGTH), sentAt: z.number().int().nonnegative() }),
]);

export type ChatContent = z.infer<typeof ZChatContent>;

export function encodeContent(content: ChatContent): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(content));
}

/** The content, or null when it is not a document this version understands. */
export function decodeContent(bytes: Uint8Array): ChatContent | null {
  try {
    const parsed = ZChatContent.safeParse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
