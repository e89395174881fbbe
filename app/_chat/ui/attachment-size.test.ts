import { createFormatter } from "next-intl";
import { describe, expect, it } from "vitest";
import { fileSizeParts, formatFileSize } from "./attachment-size";

describe("fileSizeParts", () => {
  it("counts in binary steps, so the 100 MB limit reads 100 MB", () => {
    expect(fileSizeParts(0)).toEqual({ value: 0, unit: "byte" });
    expect(fileSizeParts(1023)).toEqual({ value: 1023, unit: "byte" });
    expect(fileSizeParts(1024)).toEqual({ value: 1, unit: "kilobyte" });
    expect(fileSizeParts(100 * 1024 * 1024)).toEqual({ value: 100, unit: "megabyte" });
    expect(fileSizeParts(3 * 1024 ** 3)).toEqual({ value: 3, unit: "gigabyte" });
  });

  it("shows one decimal below 10 of a unit and none above", () => {
    expect(fileSizeParts(1536)).toEqual({ value: 1.5, unit: "kilobyte" });
    expect(fileSizeParts(20.4 * 1024 * 1024)).toEqual({ value: 20, unit: "megabyte" });
  });

  it("never says 1024 of a unit when rounding reaches the next", () => {
    expect(fileSizeParts(1024 * 1024 - 1)).toEqual({ value: 1, unit: "megabyte" });
  });
});

describe("formatFileSize", () => {
  it("writes the size as people read it, in their language", () => {
    const en = createFormatter({ locale: "en" });
    const de = createFormatter({ locale: "de" });
    expect(formatFileSize(3.25 * 1024 * 1024, en)).toBe("3.3 MB");
    expect(formatFileSize(3.25 * 1024 * 1024, de)).toBe("3,3 MB");
    expect(formatFileSize(12, en)).toBe("12 bytes");
  });
});
