import { describe, expect, it } from "vitest";
import { countGraphemes, extractMentionsAndHashtags, tokenizePostText } from "@/app/_shared/isomorphic/post-text";

describe("countGraphemes", () => {
  it("counts what a person sees as one character as one", () => {
    expect(countGraphemes("hello")).toBe(5);
    expect(countGraphemes("👩‍👩‍👧‍👦")).toBe(1);
    expect(countGraphemes("🇩🇪🇫🇷")).toBe(2);
    expect(countGraphemes("e\u0301")).toBe(1);
  });
});

describe("tokenizePostText", () => {
  it("finds mentions, hashtags and links, and leaves the rest as text", () => {
    expect(tokenizePostText("Hi @Alice_1, see https://example.org/a?b=1. #Tea time")).toEqual([
      { kind: "text", text: "Hi " },
      { kind: "mention", text: "@Alice_1", handle: "alice_1" },
      { kind: "text", text: ", see " },
      { kind: "link", text: "https://example.org/a?b=1", href: "https://example.org/a?b=1" },
      { kind: "text", text: ". " },
      { kind: "hashtag", text: "#Tea", tag: "tea" },
      { kind: "text", text: " time" },
    ]);
  });

  it("does not take email addresses, numbers-only tags or HTML for tokens", () => {
    expect(tokenizePostText("mail me@example.org").map((t) => t.kind)).toEqual(["text"]);
    expect(tokenizePostText("#123 &#39;").map((t) => t.kind)).toEqual(["text"]);
    expect(tokenizePostText("<script>alert(1)</script>")).toEqual([{ kind: "text", text: "<script>alert(1)</script>" }]);
    expect(tokenizePostText("javascript:alert(1)").map((t) => t.kind)).toEqual(["text"]);
  });

  it("reads hashtags in any script", () => {
    expect(extractMentionsAndHashtags("#Grüße #東京 #café @bob @Bob")).toEqual({ handles: ["bob"], tags: ["grüße", "東京", "café"] });
  });
});
