import { describe, expect, it } from "vitest";
import type { ChatContent } from "./chat-content";
import { cameTheRightWay, conversationIdOf, ownDevicesCopy } from "./content-routing";

const ME = "00000000-0000-4000-8000-000000000001";
const PEER = "00000000-0000-4000-8000-000000000002";
const GROUP = "00000000-0000-4000-8000-000000000003";
const OTHER_GROUP = "00000000-0000-4000-8000-000000000004";
const ID = "00000000-0000-4000-8000-000000000005";

const groupText: ChatContent = { t: "group-text", id: ID, groupId: GROUP, body: "hi", sentAt: 1 };
const text: ChatContent = { t: "text", id: ID, body: "hi", sentAt: 1 };
const fromPeer = { userId: PEER, deviceId: 1 };
const fromMe = { userId: ME, deviceId: 2 };

describe("content routing", () => {
  it("takes group text only from its own group's sender-key message", () => {
    expect(cameTheRightWay(groupText, { via: "group", groupId: GROUP, sender: fromPeer }, ME)).toBe(true);
    expect(cameTheRightWay(groupText, { via: "group", groupId: OTHER_GROUP, sender: fromPeer }, ME)).toBe(false);
    // Pairwise, a member could make one member see a message the others never got.
    expect(cameTheRightWay(groupText, { sender: fromPeer }, ME)).toBe(false);
  });

  it("never takes a pairwise-only content out of a sender-key message", () => {
    expect(cameTheRightWay(text, { via: "group", groupId: GROUP, sender: fromPeer }, ME)).toBe(false);
    expect(cameTheRightWay({ t: "delivered", ids: [ID] }, { via: "group", groupId: GROUP, sender: fromPeer }, ME)).toBe(false);
  });

  it("believes a copy naming a peer only from our own devices", () => {
    const sent: ChatContent = { t: "sent", id: ID, to: PEER, body: "hi", sentAt: 1 };
    expect(cameTheRightWay(sent, { sender: fromMe }, ME)).toBe(true);
    expect(cameTheRightWay(sent, { sender: fromPeer }, ME)).toBe(false);
  });

  it("files a content under its group, the peer our copy names, or the sender", () => {
    expect(conversationIdOf(fromPeer, groupText, ME)).toBe(GROUP);
    expect(conversationIdOf(fromPeer, text, ME)).toBe(PEER);
    expect(conversationIdOf(fromMe, { t: "sent", id: ID, to: PEER, body: "hi", sentAt: 1 }, ME)).toBe(PEER);
  });

  it("copies a 1:1 text to our own devices as a sent copy naming the peer, and receipts not at all", () => {
    expect(ownDevicesCopy(text, PEER)).toEqual({ t: "sent", id: ID, to: PEER, body: "hi", sentAt: 1 });
    expect(ownDevicesCopy({ t: "delivered", ids: [ID] }, PEER)).toBeNull();
    expect(ownDevicesCopy({ t: "read", ids: [ID] }, PEER)).toBeNull();
  });

  it("routes message actions as conversation contents, copying all but typing to our own devices", () => {
    const reaction: ChatContent = { t: "reaction", messageId: ID, emoji: "👍", at: 1 };
    expect(ownDevicesCopy(reaction, PEER)).toEqual({ ...reaction, to: PEER });
    expect(ownDevicesCopy({ t: "typing", typing: true, at: 1 }, PEER)).toBeNull();
    expect(cameTheRightWay({ ...reaction, groupId: GROUP }, { via: "group", groupId: GROUP, sender: fromPeer }, ME)).toBe(true);
    // A group's action sent pairwise, or a copy naming a peer from someone else: refused.
    expect(cameTheRightWay({ ...reaction, groupId: GROUP }, { sender: fromPeer }, ME)).toBe(false);
    expect(cameTheRightWay({ ...reaction, to: PEER }, { sender: fromPeer }, ME)).toBe(false);
    // A read receipt never travels in a group's sender-key message.
    expect(cameTheRightWay({ t: "read", ids: [ID] }, { via: "group", groupId: GROUP, sender: fromPeer }, ME)).toBe(false);
  });
});
