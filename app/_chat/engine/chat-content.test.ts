import { describe, expect, it } from "vitest";
import { decodeJsonWithBytes, encodeJsonWithBytes } from "./backup-payload";
import { decodeContent, encodeContent, MAX_TEXT_LENGTH, type ChatContent } from "./chat-content";

const id = "0192f0c4-6c1e-7a3b-9c2d-4e5f60718293";
const bytes = (text: string) => new TextEncoder().encode(text);

describe("chat content", () => {
  it("round-trips every kind", () => {
    const contents: ChatContent[] = [
      { t: "text", id, body: "hello ✓ 👋", sentAt: 1_790_000_000_000 },
      { t: "sent", id, to: id, body: "copy", sentAt: 1 },
      { t: "delivered", ids: [id] },
      { t: "text", id, body: "yes", sentAt: 2, replyTo: id },
      { t: "reaction", messageId: id, emoji: "👍🏽", at: 3 },
      { t: "reaction", messageId: id, emoji: "👩‍👩‍👧", at: 4, to: id },
      { t: "reaction", messageId: id, emoji: "🇩🇪", at: 5, groupId: id },
      { t: "reaction", messageId: id, emoji: null, at: 6 },
      { t: "edit", messageId: id, body: "better", editedAt: 7 },
      { t: "delete", messageId: id, groupId: id },
      { t: "typing", typing: true, at: 8 },
      { t: "read", ids: [id] },
    ];
    for (const content of contents) expect(decodeContent(encodeContent(content))).toEqual(content);
  });

  it("drops what a sender could slip in: bad JSON, bad UTF-8, unknown kinds, wrong shapes, over-long text", () => {
    expect(decodeContent(bytes("not json"))).toBeNull();
    expect(decodeContent(Uint8Array.of(0x7b, 0xff, 0x7d))).toBeNull();
    expect(decodeContent(bytes(JSON.stringify({ t: "call", id })))).toBeNull();
    expect(decodeContent(bytes(JSON.stringify({ t: "text", id: "1", body: "x", sentAt: 1 })))).toBeNull();
    expect(decodeContent(bytes(JSON.stringify({ t: "text", id, body: "", sentAt: 1 })))).toBeNull();
    expect(decodeContent(bytes(JSON.stringify({ t: "text", id, body: "x".repeat(MAX_TEXT_LENGTH + 1), sentAt: 1 })))).toBeNull();
    expect(decodeContent(bytes(JSON.stringify({ t: "delivered", ids: Array(101).fill(id) })))).toBeNull();
  });

  it("takes only an emoji as a reaction, and no empty edit", () => {
    for (const emoji of ["", "ok", "1", "👍 and words", "👍".repeat(20), "<b>"]) {
      expect(decodeContent(bytes(JSON.stringify({ t: "reaction", messageId: id, emoji, at: 1 })))).toBeNull();
    }
    expect(decodeContent(bytes(JSON.stringify({ t: "edit", messageId: id, body: "", editedAt: 1 })))).toBeNull();
    expect(decodeContent(bytes(JSON.stringify({ t: "read", ids: [] })))).toBeNull();
  });
});

describe("JSON with bytes (backups and link secrets)", () => {
  it("keeps Uint8Array fields at any depth and everything else as JSON", () => {
    const value = { key: Uint8Array.of(0, 1, 254, 255), nested: [{ k: new Uint8Array(0) }], text: "$b", n: 3, none: null };
    const decoded = decodeJsonWithBytes<typeof value>(encodeJsonWithBytes(value));
    expect(decoded).toEqual(value);
    expect(decoded.key).toBeInstanceOf(Uint8Array);
  });
});
