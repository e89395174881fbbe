import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pad, paddedLength, unpad } from "./padding";

describe("padding", () => {
  it("rounds up to 256 B, 1 KiB, 4 KiB, 16 KiB, 64 KiB, then multiples of 64 KiB", () => {
    expect([0, 255, 256, 1023, 1024, 4095, 16_383, 65_535, 65_536, 200_000].map(paddedLength)).toEqual([
      256, 256, 1024, 1024, 4096, 4096, 16_384, 65_536, 131_072, 262_144,
    ]);
  });

  it("round-trips any content", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (content) => {
        const padded = pad(content);
        expect(padded.length).toBe(paddedLength(content.length));
        expect(unpad(padded)).toEqual(content);
      }),
    );
  });

  it("refuses padding without its marker or of a size that is not a bucket", () => {
    expect(() => unpad(new Uint8Array(256))).toThrow(expect.objectContaining({ code: "InvalidEnvelope" }));
    const wrongSize = pad(new Uint8Array(10)).subarray(0, 200);
    expect(() => unpad(wrongSize)).toThrow(expect.objectContaining({ code: "InvalidEnvelope" }));
    const badMarker = pad(new Uint8Array(10));
    badMarker[10] = 0x81;
    expect(() => unpad(badMarker)).toThrow(expect.objectContaining({ code: "InvalidEnvelope" }));
  });
});
