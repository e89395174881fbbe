import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual } from "../bytes";
import { pad, PADDING_BUCKETS, paddedLength, unpad } from "./padding";

describe("padding", () => {
  it("rounds up to 256 B, 1 KiB, 4 KiB, 16 KiB, 64 KiB, then multiples of 64 KiB", () => {
    expect([0, 255, 256, 1023, 1024, 4095, 16_383, 65_535, 65_536, 200_000].map(paddedLength)).toEqual([
      256, 256, 1024, 1024, 4096, 4096, 16_384, 65_536, 131_072, 262_144,
    ]);
  });

  it("round-trips any content", () => {
    let longest = 0;
    fc.assert(
      // size "max": the default size would keep the content to about ten bytes, inside the first bucket.
      fc.property(fc.uint8Array({ maxLength: 5000, size: "max" }), (content) => {
        longest = Math.max(longest, content.length);
        const padded = pad(content);
        expect(padded.length).toBe(paddedLength(content.length));
        expect(unpad(padded)).toEqual(content);
      }),
    );
    expect(longest).toBeGreaterThan(PADDING_BUCKETS[2]);
  });

  it("round-trips content at every bucket boundary, whatever its last bytes", () => {
    // A bucket holds bucket − 1 bytes of content and the marker; one byte more takes the next size.
    for (const bucket of [...PADDING_BUCKETS, 2 * 65_536]) {
      for (const length of [bucket - 2, bucket - 1, bucket, bucket + 1]) {
        for (const last of [0x00, 0x80, 0xff]) {
          const content = new Uint8Array(length).fill(0x80);
          content[length - 1] = last;
          const padded = pad(content);
          const expected = length + 1 <= bucket ? bucket : paddedLength(bucket);
          expect([length, padded.length]).toEqual([length, expected]);
          expect(padded[length]).toBe(0x80);
          // bytesEqual: toEqual walks 128 KiB arrays element by element, for seconds.
          expect(bytesEqual(unpad(padded), content)).toBe(true);
        }
      }
    }
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
