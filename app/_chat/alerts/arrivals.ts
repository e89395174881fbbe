// Which conversations just received a message, from one snapshot to the next: their unread count
// grew and their last message is someone else's. What the in-page notice and the system
// notification announce.
import { conversationHref, conversationOf, groupHref, isSameConversation, openConversationFromPath, type OpenConversation } from "../handle-segment";
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
  /** Which conversation, as an address names it. */
  conversation: OpenConversation;
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
            conversation: conversationOf(conversation),
          }
        : {
            conversationId: conversation.id,
            from: last.senderName ?? conversation.group.name,
            groupName: conversation.group.name,
            body: last.body,
            attachments: last.attachments,
            href: groupHref(conversation.group.id),
            conversation: conversationOf(conversation),
          },
    );
  }
  return arrivals;
}

/**
 * Whether the page at `pathname` shows this conversation's messages, by any way it was reached (the
 * notice's link, the list beside, a link elsewhere): a notice about it is then not shown, or taken away.
 */
export function showsConversation(pathname: string, conversation: OpenConversation): boolean {
  return isSameConversation(conversationShownAt(pathname), conversation);
}

// Here, not beside openConversationFromPath: only the notices need it, and they load after the page.
/** The conversation whose messages a /chat address shows (not its safety number or details page), or null. */
function conversationShownAt(pathname: string): OpenConversation | null {
  const open = openConversationFromPath(pathname);
  const segments = pathname.split("/").filter(Boolean).length;
  return open && segments === (open.kind === "direct" ? 2 : 3) ? open : null;
}
