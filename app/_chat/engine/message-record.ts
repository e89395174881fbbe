// The one place the stored form of a conversation line is made: a message (written here, received,
// or a sync copy of one written on our other devices) or a notice, and the UI's view of a message.
import type { MessageRecord } from "./records";
import type { ChatMessage, ConversationNotice, DeliveryState } from "./types";

/** A message; sorted by the sender's clock. Incoming messages have no delivery state. */
export function messageRecord(
  fields: { id: string; conversationId: string; body: string; sentAt: number } & ({ outgoing: true; state: DeliveryState } | { outgoing: false }),
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
  };
}

/** A system line in the conversation at `at`, such as the key-change warning. */
export function noticeRecord(fields: { id: string; conversationId: string; notice: ConversationNotice["kind"]; at: number }): MessageRecord {
  const { id, conversationId, notice, at } = fields;
  return { id, conversationId, sortAt: at, kind: "notice", outgoing: false, body: "", sentAt: at, state: null, notice };
}

export function toChatMessage(record: MessageRecord): ChatMessage {
  const { id, conversationId, outgoing, body, sentAt, state } = record;
  return { id, conversationId, outgoing, body, sentAt, state };
}
