// What a call's signalling may carry, as the receiver parses it: anything else is dropped.
import { describe, expect, it } from "vitest";
import { decodeContent, encodeContent, type ChatContent } from "../chat-content";
import { parseCallNoticeDetail } from "./call-record";

const callId = "0192f0c4-6c1e-7a3b-9c2d-4e5f60718293";
const key = "A".repeat(42) + "E";
const invite = { t: "call-invite", callId, room: "0123456789abcdef0123456789abcdef", kind: "video", key, keyIndex: 0, participantId: "PA_rt-1", sentAt: 1 };
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("call content", () => {
  it("round-trips every kind", () => {
    const contents: ChatContent[] = [
      { ...invite, to: callId } as ChatContent,
      { ...invite, groupId: callId } as ChatContent,
      { t: "call-accept", callId, participantId: "p1" },
      { t: "call-decline", callId },
      { t: "call-end", callId, durationMs: 83_000 },
      { t: "call-rekey", callId, key, keyIndex: 7 },
    ];
    for (const content of contents) expect(decodeContent(encodeContent(content))).toEqual(content);
  });

  it("drops invites that name both or neither of a person and a group, rooms that are not 128-bit hex, short keys, odd participant ids", () => {
    expect(decodeContent(bytes({ ...invite, to: callId, groupId: callId }))).toBeNull();
    expect(decodeContent(bytes(invite))).toBeNull();
    expect(decodeContent(bytes({ ...invite, to: callId, room: "0123456789ABCDEF0123456789ABCDEF" }))).toBeNull();
    expect(decodeContent(bytes({ ...invite, to: callId, room: "../admin" }))).toBeNull();
    expect(decodeContent(bytes({ ...invite, to: callId, key: "A".repeat(42) }))).toBeNull();
    expect(decodeContent(bytes({ ...invite, to: callId, participantId: "a b" }))).toBeNull();
    expect(decodeContent(bytes({ t: "call-rekey", callId, key, keyIndex: -1 }))).toBeNull();
    expect(decodeContent(bytes({ t: "call-end", callId, durationMs: 25 * 60 * 60 * 1000 }))).toBeNull();
  });

  it("reads a call line's kind and length back", () => {
    expect(parseCallNoticeDetail("video:83000")).toEqual({ kind: "video", durationMs: 83_000 });
    expect(parseCallNoticeDetail("audio:0")).toEqual({ kind: "audio", durationMs: 0 });
    expect(parseCallNoticeDetail("a new group name")).toBeNull();
    expect(parseCallNoticeDetail(null)).toBeNull();
  });
});
