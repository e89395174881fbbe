import { describe, expect, it } from "vitest";
import { PREVIEW_MAX_HEIGHT, PREVIEW_MAX_WIDTH, previewBox } from "./attachment-layout";

describe("previewBox", () => {
  it("fits a photo into the preview's box, keeping its shape", () => {
    expect(previewBox({ kind: "image", width: 4000, height: 3000 })).toEqual({ width: PREVIEW_MAX_WIDTH, height: 210 });
    expect(previewBox({ kind: "image", width: 1080, height: 1920 })).toEqual({ width: 180, height: PREVIEW_MAX_HEIGHT });
  });

  it("never enlarges a small picture", () => {
    expect(previewBox({ kind: "image", width: 96, height: 64 })).toEqual({ width: 96, height: 64 });
  });

  it("keeps a sliver of a panorama large enough to click, and gives a size when the message has none", () => {
    expect(previewBox({ kind: "image", width: 10_000, height: 100 }).height).toBe(48);
    expect(previewBox({ kind: "video", width: null, height: null })).toEqual({ width: 256, height: 144 });
  });
});
