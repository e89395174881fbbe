import { describe, expect, it } from "vitest";
import {
  conversationHref,
  groupDetailsHref,
  groupHref,
  groupIdFromSegment,
  handleFromInput,
  handleFromSegment,
  isOpenConversation,
  openConversationFromPath,
  safetyNumberHref,
} from "./handle-segment";

describe("handleFromSegment", () => {
  it("reads @handle and its encoded form, in lower case", () => {
    expect(handleFromSegment("@alice")).toBe("alice");
    expect(handleFromSegment("%40Alice_2")).toBe("alice_2");
  });

  it("refuses segments that are no handle", () => {
    expect(handleFromSegment("alice")).toBeNull();
    expect(handleFromSegment("@")).toBeNull();
    expect(handleFromSegment("@al-ice")).toBeNull();
    expect(handleFromSegment(`@${"a".repeat(31)}`)).toBeNull();
    expect(handleFromSegment("%E0%A4%A")).toBeNull();
  });
});

describe("handleFromInput", () => {
  it("accepts what people type", () => {
    expect(handleFromInput("  @Alice ")).toBe("alice");
    expect(handleFromInput("bob")).toBe("bob");
    expect(handleFromInput("@")).toBeNull();
    expect(handleFromInput("bob smith")).toBeNull();
  });
});

describe("hrefs", () => {
  it("puts conversations under /chat/@handle", () => {
    expect(conversationHref("alice")).toBe("/chat/@alice");
    expect(safetyNumberHref("alice")).toBe("/chat/@alice/safety");
  });
});

describe("group addresses", () => {
  const id = "0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d";

  it("puts groups under /chat/group/<id>", () => {
    expect(groupHref(id)).toBe(`/chat/group/${id}`);
    expect(groupDetailsHref(id)).toBe(`/chat/group/${id}/details`);
  });

  it("reads a UUID segment, in lower case, and refuses anything else", () => {
    expect(groupIdFromSegment(id)).toBe(id);
    expect(groupIdFromSegment(id.toUpperCase())).toBe(id);
    expect(groupIdFromSegment("@alice")).toBeNull();
    expect(groupIdFromSegment(`${id}0`)).toBeNull();
    expect(groupIdFromSegment("../devices")).toBeNull();
  });
});

describe("openConversationFromPath", () => {
  const groupId = "0193a5e2-7c4b-7d1e-8f00-123456789abc";

  it("finds the conversation of a conversation's pages", () => {
    expect(openConversationFromPath("/chat/@alice")).toEqual({ kind: "direct", handle: "alice" });
    expect(openConversationFromPath("/chat/%40Alice/safety")).toEqual({ kind: "direct", handle: "alice" });
    expect(openConversationFromPath(`/chat/group/${groupId}`)).toEqual({ kind: "group", groupId });
    expect(openConversationFromPath(`/chat/group/${groupId}/details`)).toEqual({ kind: "group", groupId });
  });

  it("finds none on the list, the requests and Messages' other pages", () => {
    for (const path of ["/chat", "/chat/requests", "/chat/devices", "/chat/group/not-a-uuid", "/chat/call/room", "/@alice", "/"]) {
      expect(openConversationFromPath(path)).toBeNull();
    }
  });

  it("matches the open conversation's summary and no other", () => {
    const open = openConversationFromPath("/chat/@alice");
    expect(isOpenConversation(open, { kind: "direct", peer: { handle: "alice" } })).toBe(true);
    expect(isOpenConversation(open, { kind: "direct", peer: { handle: "bob" } })).toBe(false);
    expect(isOpenConversation(open, { kind: "group", group: { id: groupId } })).toBe(false);
    expect(isOpenConversation(openConversationFromPath(`/chat/group/${groupId}`), { kind: "group", group: { id: groupId } })).toBe(true);
    expect(isOpenConversation(null, { kind: "direct", peer: { handle: "alice" } })).toBe(false);
  });
});
