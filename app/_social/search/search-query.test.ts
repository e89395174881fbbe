import { describe, expect, it } from "vitest";
import { queryOf } from "./search-query";

describe("queryOf", () => {
  it("reads the first query, trimmed, without direction controls a crafted link could carry", () => {
    expect(queryOf("  gardening ")).toBe("gardening");
    expect(queryOf(["first", "second"])).toBe("first");
    expect(queryOf(undefined)).toBe("");
    // U+202E would show the page's "No posts match “…”" reversed after it.
    expect(queryOf("invoice\u202Egnp.exe")).toBe("invoicegnp.exe");
    expect(queryOf("שלום")).toBe("שלום");
  });
});
