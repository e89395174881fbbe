import { describe, expect, it } from "vitest";
import { STARTING_SNAPSHOT } from "../engine/starting-snapshot";
import type { ChatSnapshot, ConversationSummary } from "../engine/types";
import { newArrivals, showsConversation } from "./arrivals";
import { titleWithUnread, unreadTotal } from "./unread";

const alice = { userId: "a", handle: "alice", displayName: "Alice", avatarUrl: null };
const direct = (unread: number, body: string, outgoing = false, at = 1): ConversationSummary => ({
  kind: "direct",
  id: alice.userId,
  peer: alice,
  verified: false,
  identityChanged: false,
  request: null,
  unread,
  disappearingSeconds: 0,
  lastMessage: { body, at, outgoing, state: null, senderName: null, attachments: 0, deleted: false },
});
const group = (unread: number, senderName: string | null): ConversationSummary => ({
  kind: "group",
  id: "g",
  group: { id: "g", name: "Climbing", description: "", pictureUrl: null, members: [], amAdmin: false, membership: "member" },
  request: null,
  unread,
  disappearingSeconds: 0,
  lastMessage: { body: "rope?", at: 5, outgoing: false, state: null, senderName, attachments: 1, deleted: false },
});
const ready = (conversations: ConversationSummary[]): ChatSnapshot => ({ ...STARTING_SNAPSHOT, status: { kind: "ready" }, conversations });

describe("unread count", () => {
  it("adds up every conversation, and is 0 until the engine is ready (no keys: no badge)", () => {
    expect(unreadTotal(ready([direct(2, "hi"), group(3, "Bob")]))).toBe(5);
    expect(unreadTotal({ ...ready([direct(2, "hi")]), status: { kind: "needs-setup", otherDevices: [], backups: [] } })).toBe(0);
    expect(unreadTotal(STARTING_SNAPSHOT)).toBe(0);
  });

  it("puts the count in front of the title, replacing an earlier one, and takes it away at 0", () => {
    expect(titleWithUnread("Home · Hearth", 3)).toBe("(3) Home · Hearth");
    expect(titleWithUnread("(3) Home · Hearth", 4)).toBe("(4) Home · Hearth");
    expect(titleWithUnread("(4) Home · Hearth", 0)).toBe("Home · Hearth");
    expect(titleWithUnread("Hearth", 120)).toBe("(99+) Hearth");
    expect(titleWithUnread("(99+) Hearth", 1)).toBe("(1) Hearth");
    expect(titleWithUnread("(2020) a year", 0)).toBe("(2020) a year");
  });
});

describe("arrivals", () => {
  it("announces a conversation whose unread count grew with someone else's message", () => {
    expect(newArrivals([direct(0, "old")], [direct(1, "new", false, 2)])).toEqual([
      {
        conversationId: "a",
        from: "Alice",
        groupName: null,
        body: "new",
        attachments: 0,
        href: "/chat/@alice",
        conversation: { kind: "direct", handle: "alice" },
      },
    ]);
    expect(newArrivals([], [group(1, "Bob")])).toEqual([
      {
        conversationId: "g",
        from: "Bob",
        groupName: "Climbing",
        body: "rope?",
        attachments: 1,
        href: "/chat/group/g",
        conversation: { kind: "group", groupId: "g" },
      },
    ]);
  });

  it("stays quiet for reading, for our own messages and for unchanged conversations", () => {
    expect(newArrivals([direct(2, "x")], [direct(0, "x")])).toEqual([]);
    expect(newArrivals([direct(0, "x")], [direct(0, "mine", true, 2)])).toEqual([]);
    expect(newArrivals([direct(1, "x")], [direct(1, "x")])).toEqual([]);
  });

  it("knows when a page shows the conversation a notice is about, however it was reached", () => {
    const groupId = "0b6d1f2e-3c4a-4e5f-8a9b-0c1d2e3f4a5b";
    const aliceOpen = { kind: "direct", handle: "alice" } as const;
    expect(showsConversation("/chat/@alice", aliceOpen)).toBe(true);
    expect(showsConversation("/chat/%40alice", aliceOpen)).toBe(true);
    expect(showsConversation("/chat/@Alice/", aliceOpen)).toBe(true);
    // Her safety number is not her messages; the list, another conversation, the social site neither.
    expect(showsConversation("/chat/@alice/safety", aliceOpen)).toBe(false);
    expect(showsConversation("/chat", aliceOpen)).toBe(false);
    expect(showsConversation("/chat/@bob", aliceOpen)).toBe(false);
    expect(showsConversation("/@alice", aliceOpen)).toBe(false);
    expect(showsConversation("/", aliceOpen)).toBe(false);
    const group = { kind: "group", groupId } as const;
    expect(showsConversation(`/chat/group/${groupId}`, group)).toBe(true);
    expect(showsConversation(`/chat/group/${groupId.toUpperCase()}`, group)).toBe(true);
    expect(showsConversation(`/chat/group/${groupId}/details`, group)).toBe(false);
    expect(showsConversation("/chat/@alice", group)).toBe(false);
  });
});
