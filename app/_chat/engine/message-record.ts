// The one place the stored form of a conversation line is made: a message (written here, received,
// or a sync copy of one written on our other devices) or a notice, and the UI's views of both.
import { NO_ATTACHMENTS, toAttachmentView } from "./attachments/attachment-view";
import type { MessageRecord, StoredAttachment } from "./records";
import type { ChatMessage, ChatPerson, ConversationNotice, DeliveryState, NoticeKind } from "./types";

/** Who a user id is, as far as this device knows now (a placeholder until the directory answers). */
export type PersonLookup = (userId: string) => ChatPerson;

/**
 * A message; sorted by the sender's clock. Incoming messages have no delivery state; in a group,
 * incoming ones name their sender and our own count the members they went to.
 */
export function messageRecord(
  fields: { id: string; conversationId: string; body: string; sentAt: number; attachments?: StoredAttachment[] | undefined } & (
    { outgoing: true; state: DeliveryState; recipientCount?: number } | { outgoing: false; senderUserId?: string }
  ),
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
  };
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

export function toChatMessage(record: MessageRecord, personOf: PersonLookup): ChatMessage {
  const { id, conversationId, outgoing, body, sentAt, state } = record;
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
  };
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
