import { describe, expect, it } from "vitest";
import { ATTACHMENT_CHUNK_BYTES, encryptedAttachmentSize, MAX_ATTACHMENT_BYTES, paddedAttachmentSize } from "./attachment-size";

/** Signal's formula in floating point, as its clients compute it. */
function signalBucket(size: number): number {
  return Math.max(541, Math.floor(1.05 ** Math.ceil(Math.log(size) / Math.log(1.05))));
}

describe("attachment sizes", () => {
  it("pads to at least 541 bytes, then to Signal's 5% buckets", () => {
    expect([0, 1, 540, 541].map(paddedAttachmentSize)).toEqual([541, 541, 541, 541]);
    expect([542, 1000, 65_536, 1024 * 1024, MAX_ATTACHMENT_BYTES].map(paddedAttachmentSize)).toEqual([568, 1020, 67_789, 1_093_831, 107_335_738]);
    for (let size = 1; size < MAX_ATTACHMENT_BYTES; size = Math.ceil(size * 1.013) + 7) {
      expect(paddedAttachmentSize(size)).toBe(signalBucket(size));
    }
  });

  it("never pads below the size, never shrinks as the size grows, and adds at most 5% above 541 bytes", () => {
    let previous = 0;
    for (let size = 0; size <= MAX_ATTACHMENT_BYTES; size = size < 5000 ? size + 1 : Math.ceil(size * 1.002)) {
      const padded = paddedAttachmentSize(size);
      expect(padded).toBeGreaterThanOrEqual(size);
      expect(padded).toBeGreaterThanOrEqual(previous);
      if (size > 541) expect(padded).toBeLessThan(size * 1.05);
      // The bucket's own size and the next byte: the edges a rounding error would move.
      if (padded < MAX_ATTACHMENT_BYTES) {
        expect(paddedAttachmentSize(padded)).toBe(padded);
        expect(paddedAttachmentSize(padded + 1)).toBeGreaterThan(padded);
      }
      previous = padded;
    }
  });

  it("gives the exact ciphertext length: header, padded plaintext, 17 bytes per 64 KiB chunk", () => {
    expect(encryptedAttachmentSize(0)).toBe(24 + 541 + 17);
    expect(encryptedAttachmentSize(1000)).toBe(24 + 1020 + 17);
    expect(encryptedAttachmentSize(65_536)).toBe(24 + 67_789 + 2 * 17);
    const largest = paddedAttachmentSize(MAX_ATTACHMENT_BYTES);
    expect(encryptedAttachmentSize(MAX_ATTACHMENT_BYTES)).toBe(24 + largest + 17 * Math.ceil(largest / ATTACHMENT_CHUNK_BYTES));
  });

  it("refuses sizes that are not an integer from 0 to 100 MiB", () => {
    for (const size of [-1, 1.5, Number.NaN, MAX_ATTACHMENT_BYTES + 1]) {
      expect(() => paddedAttachmentSize(size)).toThrow(RangeError);
      expect(() => encryptedAttachmentSize(size)).toThrow(RangeError);
    }
  });
});
