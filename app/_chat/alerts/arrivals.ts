// Which conversations just received a message, from one snapshot to the next: their unread count
// grew and their last message is someone else's. What the in-page notice and the system
// notification announce.
import { conversationHref, groupHref } from "../handle-segment";
import type { ConversationSummary } from "../engine/types";

export interface Arrival {
  conversationId: string;
  /** Who wrote (a group: the sender's name when known, else the group's). */
  from: string;
  /** The group's name, null in a conversation with one person. */
  groupName: string | null;
  body: string;
  attachments: number;
  /** Where the conversation is. */
  href: string;
}

export function newArrivals(before: readonly ConversationSummary[], after: readonly ConversationSummary[]): Arrival[] {
  const earlier = new Map(before.map((conversation) => [conversation.id, conversation]));
  const arrivals: Arrival[] = [];
  for (const conversation of after) {
    const last = conversation.lastMessage;
    const previous = earlier.get(conversation.id);
    if (!last || last.outgoing || conversation.unread <= (previous?.unread ?? 0)) continue;
    if (previous?.lastMessage?.at === last.at && previous.lastMessage.body === last.body) continue;
    arrivals.push(
      conversation.kind === "direct"
        ? {
            conversationId: conversation.id,
            from: conversation.peer.displayName || `@${conversation.peer.handle}`,
            groupName: null,
            body: last.body,
            attachments: last.attachments,
            href: conversationHref(conversation.peer.handle),
          }
        : {
            conversationId: conversation.id,
            from: last.senderName ?? conversation.group.name,
            groupName: conversation.group.name,
            body: last.body,
            attachments: last.attachments,
            href: groupHref(conversation.group.id),
          },
    );
  }
  return arrivals;
}

/** Whether the page at `pathname` is this conversation (then it needs no notice). */
export function isConversationOpen(pathname: string, href: string): boolean {
  const decode = (path: string) => {
    try {
      return decodeURIComponent(path).toLowerCase();
    } catch {
      return path.toLowerCase();
    }
  };
  return decode(pathname).replace(/\/$/, "") === decode(href);
}
