// What travels inside a sealed envelope, after decryption: one small JSON document. The sealed
// layer pads it, signs it and hides the sender; this layer only says what the message means.
// Anything that does not parse is dropped by the receiver (and still acknowledged).
import { z } from "zod";
import { MAX_ATTACHMENT_SIZE, MAX_ATTACHMENTS_PER_MESSAGE } from "./types";

/** Longest message text, in UTF-16 code units (the composer counts the same way). */
export const MAX_TEXT_LENGTH = 4000;
/** Longest file name, in UTF-16 code units. */
export const MAX_FILE_NAME_LENGTH = 255;
export const MAX_MIME_TYPE_LENGTH = 100;
/** Largest thumbnail JPEG; together, a message's thumbnails must also leave its content within MAX_CONTENT_BYTES. */
export const MAX_THUMBNAIL_BYTES = 8 * 1024;
/**
 * The most bytes of encoded content a message may take, so that its envelope stays in the 64 KiB
 * padding bucket (the server refuses larger ones) on the longest path: a group message to a device
 * without our sender key travels base64url-encoded inside a pairwise "group-key" content, in a
 * first (PQXDH) message; the sender-key message also stays within ZBytes' 60,000 characters.
 * Tested with ten files and the longest caption.
 */
export const MAX_CONTENT_BYTES = 44_000;
/** The most chunks one history transfer may have (about 200 bytes each in the content). */
export const MAX_HISTORY_CHUNKS = 150;

const ZId = z.uuid();
/** Opaque bytes (a signed change, a sender-key message) as base64url; bounded by the envelope's 64 KiB. */
const ZBytes = z
  .string()
  .max(60_000)
  .regex(/^[A-Za-z0-9_-]*$/);
/** 32 bytes as unpadded base64url. */
const ZBytes32 = z
  .string()
  .length(43)
  .regex(/^[A-Za-z0-9_-]*[AEIMQUYcgkosw048]$/);
/**
 * A message's franking key Kf (docs/e2ee-protocol.md, "Message franking"): the envelope carries
 * C = HMAC-SHA-256(Kf, message), which the receiver recomputes; with Kf the receiver can report it.
 * Absent in messages sent before franking.
 */
const ZFrankingKey = ZBytes32.optional();
const ZDimension = z.number().int().min(1).max(1_000_000);

/**
 * A file in a message: the server's id of its encrypted blob and what opens it (key, and the
 * SHA-256 of the ciphertext), and what the receiver shows before downloading it. A name with a
 * path or control characters is refused, as a type that is not a plain MIME type.
 */
export const ZAttachmentRef = z.object({
  id: ZId,
  key: ZBytes32,
  digest: ZBytes32,
  /** Plaintext bytes. */
  size: z.number().int().min(0).max(MAX_ATTACHMENT_SIZE),
  name: z
    .string()
    .min(1)
    .max(MAX_FILE_NAME_LENGTH)
    .refine((name) => !/[/\\\p{Cc}\p{Cf}]/u.test(name) && name !== "." && name !== "..", { error: "name_not_plain" }),
  type: z
    .string()
    .max(MAX_MIME_TYPE_LENGTH)
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/),
  kind: z.enum(["image", "video", "voice", "file"]),
  width: ZDimension.optional(),
  height: ZDimension.optional(),
  durationMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** A small JPEG, base64url. */
  thumbnail: z
    .string()
    .min(1)
    .max(Math.ceil((MAX_THUMBNAIL_BYTES * 4) / 3))
    .regex(/^[A-Za-z0-9_-]*$/)
    .optional(),
});

export type AttachmentRef = z.infer<typeof ZAttachmentRef>;

const ZAttachments = z
  .array(ZAttachmentRef)
  .min(1)
  .max(MAX_ATTACHMENTS_PER_MESSAGE)
  .refine((refs) => new Set(refs.map((r) => r.id)).size === refs.length, { error: "attachments_not_unique" })
  .optional();
const ZBody = z.string().max(MAX_TEXT_LENGTH);

/** A call's LiveKit room: 128 random bits as 32 lowercase hex characters, made by the caller's device. */
const ZCallRoom = z.string().regex(/^[0-9a-f]{32}$/);
/** The identity LiveKit knows a participant by (server/calls/mint-call-token.ts: 16 random bytes, base64url). */
const ZParticipantId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
/** A media key's generation: 0 for the invite's, one more for each new key (its slot in LiveKit's key ring is this modulo the ring's size). */
const ZKeyIndex = z.number().int().min(0).max(0x7fff_ffff);
/** A call's length in ms: at most a day. */
const ZDuration = z
  .number()
  .int()
  .min(0)
  .max(24 * 60 * 60 * 1000);
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
/** A message this one quotes (a reply): its id; the receiver shows its own copy of it. */
const ZReplyTo = ZId.optional();
/**
 * One emoji, a single grapheme (with its modifiers, joiners and variation selectors, or a flag):
 * what a reaction may be. Letters and words are refused, so a reaction carries no message of its own.
 */
const ZEmoji = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[\p{Extended_Pictographic}\p{Emoji_Component}\p{Emoji_Modifier}\u200d\ufe0f\u20e3]+$/u)
  .refine(
    (emoji) => /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u.test(emoji) && graphemes.segment(emoji)[Symbol.iterator]().next().value?.segment === emoji,
  );
/** Conversation contents (content-routing.ts) name their group, or in our own 1:1 copy the peer. */
const conversationFields = { groupId: ZId.optional(), to: ZId.optional() };

/** The timers a conversation may set for its messages, in seconds: 5 minutes to 4 weeks (0 turns it off). */
export const DISAPPEARING_TIMERS = [5 * 60, 60 * 60, 8 * 60 * 60, 24 * 60 * 60, 7 * 24 * 60 * 60, 28 * 24 * 60 * 60] as const;
const ZTimer = z.union([z.literal(0), ...DISAPPEARING_TIMERS.map((seconds) => z.literal(seconds))]);
const ZSentAt = z.number().int().nonnegative();
/**
 * What a message sent while a timer was on carries: when every device deletes it (the sender's
 * sent-at plus the timer, ms), and, for a view-once photo, that it opens once.
 */
const ZMessageLife = {
  expiresAt: z.number().int().nonnegative().optional(),
  viewOnce: z.literal(true).optional(),
};
/** A view-once message is one photo, with no caption (and no thumbnail: it would show the photo). */
const viewOnceIsOnePhoto = (message: {
  body: string;
  viewOnce?: true | undefined;
  attachments?: { kind: string; thumbnail?: string | undefined }[] | undefined;
}) =>
  !message.viewOnce ||
  (message.body === "" && message.attachments?.length === 1 && message.attachments[0]!.kind === "image" && !message.attachments[0]!.thumbnail);
/** A message says something: a text, files, or both. */
const hasBodyOrFiles = (message: { body: string; attachments?: unknown[] | undefined }) => message.body.length > 0 || !!message.attachments;

const ZChatContent = z.discriminatedUnion("t", [
  /** A message to the peer's devices. */
  z
    .object({
      t: z.literal("text"),
      id: ZId,
      body: ZBody,
      sentAt: ZSentAt,
      attachments: ZAttachments,
      replyTo: ZReplyTo,
      fk: ZFrankingKey,
      ...ZMessageLife,
    })
    .refine(hasBodyOrFiles)
    .refine(viewOnceIsOnePhoto),
  /** The same message, copied to the sender's own other devices so it shows everywhere. */
  z
    .object({ t: z.literal("sent"), id: ZId, to: ZId, body: ZBody, sentAt: ZSentAt, attachments: ZAttachments, replyTo: ZReplyTo, ...ZMessageLife })
    .refine(hasBodyOrFiles)
    .refine(viewOnceIsOnePhoto),
  /** The recipient device stored these messages (the sender shows "delivered"). */
  z.object({ t: z.literal("delivered"), ids: z.array(ZId).min(1).max(100) }),
  /** A signed group change (groups/group-change.ts), sent pairwise to every member device. */
  z.object({ t: z.literal("group-change"), change: ZBytes, signature: ZBytes }),
  /**
   * The sender's current sender key for a group (a distribution message), sent pairwise so it
   * inherits the session's post-quantum secrecy, with the first group message it opens.
   */
  z.object({ t: z.literal("group-key"), groupId: ZId, distribution: ZBytes, message: ZBytes }),
  /**
   * Calls (engine/calls): all of them pairwise, to the devices of the people concerned and to our
   * own other devices. An invite carries the call's first media key, made on the caller's device;
   * the room name is all LiveKit learns. 1:1: `to` names the callee; group: `groupId` the group.
   */
  z
    .object({
      t: z.literal("call-invite"),
      callId: ZId,
      room: ZCallRoom,
      kind: z.enum(["audio", "video"]),
      key: ZBytes32,
      keyIndex: ZKeyIndex,
      /** The caller's participant id in the room (it joins before inviting). */
      participantId: ZParticipantId,
      sentAt: z.number().int().nonnegative(),
      to: ZId.optional(),
      groupId: ZId.optional(),
    })
    .refine((invite) => (invite.to === undefined) !== (invite.groupId === undefined)),
  /** This device joined the call as `participantId`. From our own user: answered on another device (stop ringing here). */
  z.object({ t: z.literal("call-accept"), callId: ZId, participantId: ZParticipantId }),
  /** The callee declined (to the caller's devices in 1:1, and to the callee's own other devices, which stop ringing). */
  z.object({ t: z.literal("call-decline"), callId: ZId }),
  /** Hung up (1:1), or the last one left (group); `durationMs` 0 when nobody answered. */
  z.object({ t: z.literal("call-end"), callId: ZId, durationMs: ZDuration }),
  /** A new media key after someone left a group call, to those who stay: everyone switches to it shortly after. */
  z.object({ t: z.literal("call-rekey"), callId: ZId, key: ZBytes32, keyIndex: ZKeyIndex }),
  /**
   * To this person's own other devices only: a message request was accepted or deleted here (the
   * conversation id: the peer's user id, or a group's id). Believed only from our own devices.
   */
  z.object({ t: z.literal("request-answer"), conversationId: ZId, answer: z.enum(["accepted", "deleted"]) }),
  /**
   * To this person's own other devices only, as Signal's sync messages: in the conversation
   * `conversationId`, the messages `read` were read here (no receipt is sent again from there) and
   * those `deleted` were deleted for me here. Believed only from our own devices.
   */
  z
    .object({ t: z.literal("sync"), conversationId: ZId, read: z.array(ZId).max(100).optional(), deleted: z.array(ZId).max(100).optional() })
    .refine((sync) => !!sync.read?.length || !!sync.deleted?.length),
  /** A message to a group: only ever inside a sender-key message, never pairwise. */
  z
    .object({
      t: z.literal("group-text"),
      id: ZId,
      groupId: ZId,
      body: ZBody,
      sentAt: ZSentAt,
      attachments: ZAttachments,
      replyTo: ZReplyTo,
      fk: ZFrankingKey,
      ...ZMessageLife,
    })
    .refine(hasBodyOrFiles)
    .refine(viewOnceIsOnePhoto),
  // Actions on a message (message-actions.ts), all conversation contents. Each names the message
  // by its id; the receiver applies it only in that message's conversation.
  /** This person's reaction to a message (`emoji` null: taken back); `at` orders a person's changes from several devices. */
  z.object({ t: z.literal("reaction"), messageId: ZId, emoji: ZEmoji.nullable(), at: z.number().int().nonnegative(), ...conversationFields }),
  /** The author's new text for their message, written at `editedAt` (the sender's clock; within EDIT_WINDOW_MS of sending). */
  z.object({ t: z.literal("edit"), messageId: ZId, body: ZBody.min(1), editedAt: z.number().int().nonnegative(), ...conversationFields }),
  /** The author deleted their message for everyone. */
  z.object({ t: z.literal("delete"), messageId: ZId, ...conversationFields }),
  /** Typing started or stopped (typing-indicators.ts); `at` lets a late one be ignored. Never stored. */
  z.object({ t: z.literal("typing"), typing: z.boolean(), at: z.number().int().nonnegative(), ...conversationFields }),
  /** The reader's device showed these messages (pairwise, to the sender's devices only, like "delivered"). */
  z.object({ t: z.literal("read"), ids: z.array(ZId).min(1).max(100) }),
  /**
   * Any member set the conversation's disappearing-message timer (0: off). A conversation content
   * (content-routing.ts); concurrent changes converge on the latest by `sentAt`, ties by `id`.
   */
  z.object({ t: z.literal("timer"), id: ZId, seconds: ZTimer, sentAt: ZSentAt, ...conversationFields }),
  /**
   * A view-once message was opened on one of the reader's devices: their other devices delete their
   * copies, the sender's show "opened". A conversation content.
   */
  z.object({ t: z.literal("viewed"), messageId: ZId, ...conversationFields }),
  /**
   * Our own existing device's message history for a device just linked (history-transfer.ts),
   * pairwise to that device alone: encrypted blobs, one per chunk, each with the fresh key that
   * opens it; `messages` counts the messages in them all.
   */
  z.object({
    t: z.literal("history"),
    chunks: z
      .array(z.object({ id: ZId, key: ZBytes32, digest: ZBytes32, size: z.number().int().min(1).max(MAX_ATTACHMENT_SIZE) }))
      .min(1)
      .max(MAX_HISTORY_CHUNKS),
    messages: z.number().int().min(0),
  }),
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
