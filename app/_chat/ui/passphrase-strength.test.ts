import { describe, expect, it } from "vitest";
import { passphraseStrength } from "./passphrase-strength";

describe("the offline passphrase's strength hint", () => {
  it("calls short or repetitive passphrases weak, whatever their symbols", () => {
    expect(passphraseStrength("Tr0ub4d!")).toBe("weak");
    expect(passphraseStrength("aaaaaaaaaaaaaaaaaaaaaaaa")).toBe("weak");
    expect(passphraseStrength("abcabcabcabcabc")).toBe("weak");
  });

  it("calls a long enough one fair, and several unrelated words strong", () => {
    expect(passphraseStrength("lanternfish")).toBe("fair");
    expect(passphraseStrength("quiet lantern over the ferry")).toBe("strong");
    expect(passphraseStrength("Harbour-Tide-42!")).toBe("strong");
  });
});
