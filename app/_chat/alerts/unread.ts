// The unread count the navigation and the tab title show: messages not yet read in every
// conversation this browser holds (none until its keys are set up).
import type { ChatSnapshot } from "../engine/types";

export function unreadTotal(snapshot: ChatSnapshot): number {
  if (snapshot.status.kind !== "ready") return 0;
  return snapshot.conversations.reduce((sum, conversation) => sum + conversation.unread, 0);
}

const COUNT_PREFIX = /^\((?:[1-9]\d?|99\+)\) /;

/** "(3) Hearth": the title with the count in front (replacing an earlier one), or without when 0. */
export function titleWithUnread(title: string, count: number): string {
  const bare = title.replace(COUNT_PREFIX, "");
  if (count <= 0) return bare;
  return `(${count > 99 ? "99+" : count}) ${bare}`;
}
