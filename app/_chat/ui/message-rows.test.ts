import { describe, expect, it } from "vitest";
import type { AttachmentView, ChatMessage, ChatPerson, ConversationNotice } from "@/app/_chat/engine/types";
import { buildRows, estimateRowSize, type MessageRow } from "./message-rows";

const day = (iso: string) => Date.parse(iso);
const message = (id: string, at: number): ChatMessage => ({
  id,
  conversationId: "c",
  outgoing: false,
  body: id,
  sentAt: at,
  state: null,
  sender: null,
  groupDelivery: null,
  attachments: [],
  replyTo: null,
  reactions: [],
  edits: [],
  deleted: false,
  read: null,
  reportable: false,
  expiresAt: null,
  viewOnce: null,
});
const notice = (id: string, at: number): ConversationNotice => ({
  id,
  conversationId: "c",
  kind: "members-added",
  at,
  actor: null,
  subjects: [],
  detail: null,
});
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
    expect(keys(buildRows(messages, [notice("n", day("2026-11-21T11:00:00Z"))], false, "UTC"))).toEqual([
      "start",
      "day:2026-11-21",
      "message:a",
      "notice:n",
      "message:b",
    ]);
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

describe("buildRows in a group", () => {
  const person = (name: string): ChatPerson => ({ userId: `id-${name}`, handle: name, displayName: name, avatarUrl: null });
  const alice = person("alice");
  const bob = person("bob");
  const at = (minute: number) => day("2026-11-21T10:00:00Z") + minute * 60_000;
  const from = (id: string, sender: ChatPerson | null, minute: number): ChatMessage => ({ ...message(id, at(minute)), sender });
  const mine = (id: string, minute: number): ChatMessage => ({
    ...message(id, at(minute)),
    outgoing: true,
    state: "sent",
    groupDelivery: { delivered: 1, total: 2 },
  });
  const namedSenders = (rows: MessageRow[]) => rows.flatMap((row) => (row.kind === "message" && row.showSender ? [row.message.id] : []));

  it("names the sender once per run of their messages", () => {
    const messages = [from("a1", alice, 0), from("a2", alice, 1), from("b1", bob, 2), from("a3", alice, 3), from("a4", alice, 4)];
    expect(namedSenders(buildRows(messages, [], false, "UTC"))).toEqual(["a1", "b1", "a3"]);
  });

  it("names the sender again after our own message, a notice or a new day", () => {
    const messages = [from("a1", alice, 0), mine("m1", 1), from("a2", alice, 2), from("a3", alice, 4), from("a4", alice, 24 * 60)];
    expect(namedSenders(buildRows(messages, [notice("n", at(3))], false, "UTC"))).toEqual(["a1", "a2", "a3", "a4"]);
  });

  it("never names a sender in a conversation with one person, nor on our own messages", () => {
    const rows = buildRows([message("a", at(0)), message("b", at(1)), mine("m", 2)], [], false, "UTC");
    expect(namedSenders(rows)).toEqual([]);
  });

  it("names the sender of the first loaded message even with older pages to come", () => {
    expect(namedSenders(buildRows([from("a2", alice, 1), from("a3", alice, 2)], [], true, "UTC"))).toEqual(["a2"]);
  });
});

describe("estimateRowSize", () => {
  const photo = (width: number, height: number, status: AttachmentView["status"] = "downloaded"): AttachmentView => ({
    id: `p${width}x${height}`,
    name: "photo.jpg",
    type: "image/jpeg",
    kind: "image",
    size: 1000,
    width,
    height,
    durationMs: null,
    thumbnailUrl: null,
    status,
    progress: null,
    error: null,
  });
  const row = (body: string, attachments: AttachmentView[] = []): MessageRow => ({
    kind: "message",
    key: "m",
    message: { ...message("m", 0), body, attachments },
    showSender: false,
  });

  it("makes room for a photo's preview at its shape, before anything has loaded", () => {
    const text = estimateRowSize(row("hello"));
    const tall = estimateRowSize(row("hello", [photo(1080, 1920)]));
    const wide = estimateRowSize(row("hello", [photo(1920, 1080)]));
    expect(tall).toBeGreaterThan(wide);
    expect(wide).toBeGreaterThan(text + 100);
  });

  it("leaves out the text line of a message of files alone, and adds a line for a file on the move", () => {
    expect(estimateRowSize(row("", [photo(100, 100)]))).toBeLessThan(estimateRowSize(row("caption", [photo(100, 100)])));
    expect(estimateRowSize(row("", [photo(100, 100, "uploading")]))).toBeGreaterThan(estimateRowSize(row("", [photo(100, 100)])));
  });
});
