import { describe, expect, it } from "vitest";
import type { ChatMessage, ConversationNotice } from "@/app/_chat/engine/types";
import { buildRows } from "./message-rows";

const day = (iso: string) => Date.parse(iso);
const message = (id: string, at: number): ChatMessage => ({ id, conversationId: "c", outgoing: false, body: id, sentAt: at, state: null });
const keys = (rows: { key: string }[]) => rows.map((row) => row.key);

describe("buildRows", () => {
  it("starts the conversation, then a day line wherever the day changes, in the given time zone", () => {
    const messages = [message("a", day("2026-11-20T22:30:00Z")), message("b", day("2026-11-20T23:30:00Z")), message("c", day("2026-11-21T10:00:00Z"))];
    expect(keys(buildRows(messages, [], false, "UTC"))).toEqual(["start", "day:2026-11-20", "message:a", "message:b", "day:2026-11-21", "message:c"]);
    // In Berlin (UTC+1) "b" is already on the 21st.
    expect(keys(buildRows(messages, [], false, "Europe/Berlin"))).toEqual(["start", "day:2026-11-20", "message:a", "day:2026-11-21", "message:b", "message:c"]);
  });

  it("places notices by time among the messages", () => {
    const messages = [message("a", day("2026-11-21T10:00:00Z")), message("b", day("2026-11-21T12:00:00Z"))];
    const notice: ConversationNotice = { id: "n", conversationId: "c", kind: "identity-changed", at: day("2026-11-21T11:00:00Z") };
    expect(keys(buildRows(messages, [notice], false, "UTC"))).toEqual(["start", "day:2026-11-21", "message:a", "notice:n", "message:b"]);
  });

  it("keeps the first loaded row's key when older pages of the same day arrive", () => {
    const newer = [message("c", day("2026-11-21T10:00:00Z")), message("d", day("2026-11-21T11:00:00Z"))];
    const first = buildRows(newer, [], true, "UTC");
    expect(keys(first)).toEqual(["message:c", "message:d"]);
    const older = [message("a", day("2026-11-20T09:00:00Z")), message("b", day("2026-11-21T09:00:00Z")), ...newer];
    const after = buildRows(older, [], false, "UTC");
    expect(keys(after)).toEqual(["start", "day:2026-11-20", "message:a", "day:2026-11-21", "message:b", "message:c", "message:d"]);
  });

  it("gives a day that comes round twice (another device's clock) a key of its own", () => {
    const messages = [message("a", day("2026-11-21T10:00:00Z")), message("b", day("2026-11-20T10:00:00Z")), message("c", day("2026-11-21T11:00:00Z"))];
    const rowKeys = keys(buildRows(messages, [], false, "UTC"));
    expect(new Set(rowKeys).size).toBe(rowKeys.length);
    expect(rowKeys).toContain("day:2026-11-21:message:c");
  });
});
