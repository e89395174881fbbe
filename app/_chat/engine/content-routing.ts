// Which conversation a received content belongs to, and whether it came the only way it may.
// Contents that say something in a conversation (a message, or an action on one: a reaction, an
// edit, a timer change…) share one convention, so that each new kind needs no routing of its own:
// - in a group they carry `groupId` and travel only inside that group's sender-key message;
// - in 1:1 they travel pairwise; the copy to our own other devices names the peer in `to`.
// Everything else (receipts, group changes and keys, call signals) travels pairwise only.
import type { ProtocolAddress } from "../crypto";
import type { ChatContent } from "./chat-content";
import type { InboxEntry } from "./records";

/** Conversation contents: add a kind here when it follows the convention above. */
export const CONVERSATION_KINDS: ReadonlySet<ChatContent["t"]> = new Set<ChatContent["t"]>([
  "group-text",
  "reaction",
  "edit",
  "delete",
  "typing",
  "timer",
  "viewed",
]);
/** Conversation kinds our own other devices have no use for: that we are typing. */
const NOT_COPIED_TO_OWN_DEVICES: ReadonlySet<ChatContent["t"]> = new Set<ChatContent["t"]>(["typing"]);

type ConversationFields = { groupId?: string; to?: string };

function fieldsOf(content: ChatContent): ConversationFields {
  return content as ConversationFields;
}

/**
 * Whether the content may have come the way it did: a sender-key message only ever holds a
 * conversation content naming its own group; a pairwise one never holds a group's conversation
 * content, and a copy naming a peer (`to`) is believed only from our own devices.
 */
export function cameTheRightWay(content: ChatContent, entry: Pick<InboxEntry, "via" | "groupId" | "sender">, me: string): boolean {
  const { groupId, to } = fieldsOf(content);
  if (entry.via === "group") return CONVERSATION_KINDS.has(content.t) && groupId !== undefined && groupId === entry.groupId;
  if (content.t === "group-text") return false;
  if (content.t === "sent" || content.t === "history" || content.t === "sync") return entry.sender.userId === me;
  if (!CONVERSATION_KINDS.has(content.t)) return true;
  return groupId === undefined && (to === undefined || entry.sender.userId === me);
}

/**
 * The conversation a content (already checked by cameTheRightWay) belongs to: its group, the peer
 * our own copy names, or the sender; null for our own copy that names no peer.
 */
export function conversationIdOf(sender: ProtocolAddress, content: ChatContent, me: string): string | null {
  const { groupId, to } = fieldsOf(content);
  if (groupId !== undefined) return groupId;
  if (sender.userId === me) return to ?? null;
  return sender.userId;
}

/** The copy of a 1:1 conversation content for our own other devices: it names the peer. */
export function ownDevicesCopy(content: ChatContent, peerUserId: string): ChatContent | null {
  if (content.t === "text") {
    const { id, body, sentAt, attachments, replyTo, expiresAt, viewOnce } = content;
    return {
      t: "sent",
      id,
      to: peerUserId,
      body,
      sentAt,
      ...(attachments && { attachments }),
      ...(replyTo && { replyTo }),
      ...(expiresAt !== undefined && { expiresAt }),
      ...(viewOnce && { viewOnce }),
    };
  }
  if (!CONVERSATION_KINDS.has(content.t) || NOT_COPIED_TO_OWN_DEVICES.has(content.t)) return null;
  return { ...content, to: peerUserId } as ChatContent;
}
