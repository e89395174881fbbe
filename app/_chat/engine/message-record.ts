// The one place the stored form of a conversation line is made: a message (written here, received,
// or a sync copy of one written on our other devices) or a notice, and the UI's views of both.
import { NO_ATTACHMENTS, toAttachmentView } from "./attachments/attachment-view";
import type { FrankingProof, MessageRecord, QuoteSnapshot, StoredAttachment } from "./records";
import type { ChatMessage, ChatPerson, ConversationNotice, DeliveryState, NoticeKind, QuoteView, ReactionView } from "./types";

/** Who a user id is, as far as this device knows now (a placeholder until the directory answers). */
export type PersonLookup = (userId: string) => ChatPerson;

/**
 * A message; sorted by the sender's clock. Incoming messages have no delivery state; in a group,
 * incoming ones name their sender and our own count the members they went to.
 */
export function messageRecord(
  fields: {
    id: string;
    conversationId: string;
    body: string;
    sentAt: number;
    attachments?: StoredAttachment[] | undefined;
    /** A reply: the quoted message's id, and what this device knows of it. */
    reply?: { replyTo: string; quote: QuoteSnapshot | null } | undefined;
    expiresAt?: number | undefined;
    viewOnce?: boolean | undefined;
  } & ({ outgoing: true; state: DeliveryState; recipientCount?: number } | { outgoing: false; senderUserId?: string; franking?: FrankingProof | null }),
): MessageRecord {
  const { id, conversationId, body, sentAt } = fields;
  return {
    id,
    conversationId,
    sortAt: sentAt,
    kind: "message",
    outgoing: fields.outgoing,
    body,
    sentAt,
    state: fields.outgoing ? fields.state : null,
    notice: null,
    ...(fields.outgoing && fields.recipientCount !== undefined ? { recipientCount: fields.recipientCount, deliveredTo: [] } : {}),
    ...(!fields.outgoing && fields.senderUserId ? { senderUserId: fields.senderUserId } : {}),
    ...(fields.attachments?.length ? { attachments: fields.attachments } : {}),
    ...(fields.reply ? { replyTo: fields.reply.replyTo, quote: fields.reply.quote } : {}),
    ...(!fields.outgoing && fields.franking ? { franking: fields.franking } : {}),
    ...(fields.expiresAt !== undefined ? { expiresAt: fields.expiresAt } : {}),
    ...(fields.viewOnce ? { viewOnce: { opened: false } } : {}),
  };
}

/** Who wrote a stored message: ourselves, the group member, or in 1:1 the peer (whose id the conversation has). */
export function authorOf(record: MessageRecord, me: string): string {
  return record.outgoing ? me : (record.senderUserId ?? record.conversationId);
}

/** The longest snippet of a quoted message a reply keeps. */
const QUOTE_SNIPPET_LENGTH = 200;

/** What a reply keeps of the message it quotes (null: this device does not have it). */
export function quoteSnapshot(quoted: MessageRecord | undefined, me: string): QuoteSnapshot | null {
  if (!quoted || quoted.kind !== "message") return null;
  return {
    authorId: authorOf(quoted, me),
    body: quoted.body.slice(0, QUOTE_SNIPPET_LENGTH),
    attachments: quoted.attachments?.length ?? 0,
    deleted: !!quoted.deleted,
  };
}

/** How a thread shows messages: `showReads` false while read receipts are off here. */
export interface MessageViewOptions {
  me: string;
  showReads: boolean;
  /** The quoted message when the thread has it loaded (fresher than the reply's snapshot). */
  loaded(id: string): MessageRecord | undefined;
}

/** A system line in the conversation at `at`, such as the key-change warning or a group change. */
export function noticeRecord(fields: {
  id: string;
  conversationId: string;
  notice: NoticeKind;
  at: number;
  actorId?: string | null;
  subjectIds?: string[];
  detail?: string | null;
}): MessageRecord {
  const { id, conversationId, notice, at } = fields;
  return {
    id,
    conversationId,
    sortAt: at,
    kind: "notice",
    outgoing: false,
    body: "",
    sentAt: at,
    state: null,
    notice,
    actorId: fields.actorId ?? null,
    subjectIds: fields.subjectIds ?? [],
    detail: fields.detail ?? null,
  };
}

export function toChatMessage(record: MessageRecord, personOf: PersonLookup, options: MessageViewOptions): ChatMessage {
  const { id, conversationId, outgoing, body, sentAt, state } = record;
  const total = record.recipientCount ?? 1;
  return {
    id,
    conversationId,
    outgoing,
    body,
    sentAt,
    state,
    sender: record.senderUserId ? personOf(record.senderUserId) : null,
    groupDelivery: record.recipientCount !== undefined ? { delivered: record.deliveredTo?.length ?? 0, total: record.recipientCount } : null,
    attachments: record.attachments?.length ? record.attachments.map(toAttachmentView) : NO_ATTACHMENTS,
    replyTo: record.replyTo ? quoteView(record.replyTo, record.quote ?? null, personOf, options) : null,
    reactions: reactionViews(record.reactions, personOf, options.me),
    edits: record.edits ?? [],
    deleted: !!record.deleted,
    read: outgoing && options.showReads ? { count: Math.min(record.readBy?.length ?? 0, total), total } : null,
    reportable: !outgoing && !record.deleted && !!record.franking,
    expiresAt: record.expiresAt ?? null,
    viewOnce: record.viewOnce ? { opened: record.viewOnce.opened } : null,
  };
}

function quoteView(id: string, snapshot: QuoteSnapshot | null, personOf: PersonLookup, options: MessageViewOptions): QuoteView {
  const quote = quoteSnapshot(options.loaded(id), options.me) ?? snapshot;
  if (!quote) return { id, author: null, body: "", attachments: 0, status: "missing" };
  return {
    id,
    author: quote.authorId === options.me ? null : personOf(quote.authorId),
    body: quote.deleted ? "" : quote.body,
    attachments: quote.deleted ? 0 : quote.attachments,
    status: quote.deleted ? "deleted" : "shown",
  };
}

const NO_REACTIONS: readonly ReactionView[] = [];

function reactionViews(reactions: MessageRecord["reactions"], personOf: PersonLookup, me: string): readonly ReactionView[] {
  if (!reactions) return NO_REACTIONS;
  const byEmoji = new Map<string, string[]>();
  for (const [userId, { emoji }] of Object.entries(reactions)) if (emoji) byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), userId]);
  if (!byEmoji.size) return NO_REACTIONS;
  return [...byEmoji]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([emoji, userIds]) => ({ emoji, people: userIds.map((u) => (u === me ? null : personOf(u))), mine: userIds.includes(me) }));
}

export function toNotice(record: MessageRecord & { notice: NoticeKind }, personOf: PersonLookup, me: string): ConversationNotice {
  return {
    id: record.id,
    conversationId: record.conversationId,
    kind: record.notice,
    at: record.sortAt,
    actor: record.actorId && record.actorId !== me ? personOf(record.actorId) : null,
    subjects: (record.subjectIds ?? []).map(personOf),
    detail: record.detail ?? null,
  };
}
