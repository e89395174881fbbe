import { describe, expect, it } from "vitest";
import type { ChatPerson } from "@/app/_chat/engine/types";
import { MAX_RECIPIENT_SUGGESTIONS, recipientSuggestions } from "./recipient-suggestions";

const person = (handle: string, displayName = handle): ChatPerson => ({ userId: `id-${handle}`, handle, displayName, avatarUrl: null });

describe("recipient suggestions", () => {
  it("puts people written with before people followed, each once, matching what was typed", () => {
    const zoe = person("zoe", "Zoë Adler");
    const suggestions = recipientSuggestions({
      query: "zo",
      talkedTo: [person("bob"), zoe],
      followed: [person("zora"), zoe],
    });
    expect(suggestions.map((p) => p.handle)).toEqual(["zoe", "zora"]);
  });

  it("puts the person whose handle is exactly what was typed first, with or without @", () => {
    const suggestions = recipientSuggestions({ query: "@Ann", talkedTo: [person("annabel")], followed: [person("ann")] });
    expect(suggestions.map((p) => p.handle)).toEqual(["ann", "annabel"]);
  });

  it("leaves out people not known by handle yet and stops at the most it shows", () => {
    const many = Array.from({ length: 20 }, (_, i) => person(`p${i}`));
    const suggestions = recipientSuggestions({ query: "", talkedTo: [{ ...person("x"), handle: "" }], followed: many });
    expect(suggestions).toHaveLength(MAX_RECIPIENT_SUGGESTIONS);
    expect(suggestions.every((p) => p.handle)).toBe(true);
  });
});
