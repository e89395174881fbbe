import { describe, expect, it } from "vitest";
import { isTimeZone, negotiateLocale } from "@/app/_shared/isomorphic/locales";

describe("negotiateLocale", () => {
  it("picks the highest-ranked supported language", () => {
    expect(negotiateLocale("de-DE,de;q=0.9,en;q=0.8")).toBe("de");
    expect(negotiateLocale("fr-FR,fr;q=0.9,de;q=0.5,en;q=0.4")).toBe("de");
    expect(negotiateLocale("en;q=0.2,de;q=0.8")).toBe("de");
  });

  it("falls back to English for unsupported, refused or missing languages", () => {
    expect(negotiateLocale("fr,es")).toBe("en");
    expect(negotiateLocale("de;q=0")).toBe("en");
    expect(negotiateLocale(null)).toBe("en");
    expect(negotiateLocale("garbage;;;,")).toBe("en");
  });
});

describe("isTimeZone", () => {
  it("accepts IANA zones and refuses anything else", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("x".repeat(100))).toBe(false);
  });
});
