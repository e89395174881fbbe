/**
 * Padding to size buckets, so a ciphertext's length tells only its bucket: 256 B, 1 KiB, 4 KiB,
 * 16 KiB, 64 KiB, then multiples of 64 KiB. ISO/IEC 7816-4 style: the content, one 0x80 byte,
 * then zeros up to the bucket size.
 */
import { CryptoError } from "../errors";

export const PADDING_BUCKETS = [256, 1024, 4096, 16_384, 65_536] as const;
const LARGE_STEP = 65_536;
const MARKER = 0x80;

/** The padded size for `length` bytes of content (room for the marker included). */
export function paddedLength(length: number): number {
  const needed = length + 1;
  for (const bucket of PADDING_BUCKETS) if (needed <= bucket) return bucket;
  return Math.ceil(needed / LARGE_STEP) * LARGE_STEP;
}

export function pad(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(content.length));
  out.set(content);
  out[content.length] = MARKER;
  return out;
}

/**
 * Strips the padding (the trailing zeros and the 0x80 marker).
 * @throws {CryptoError} `InvalidEnvelope` when there is no marker or a wrong bucket size.
 */
export function unpad(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== MARKER || paddedLength(end) !== padded.length) {
    throw new CryptoError("InvalidEnvelope", "bad padding");
  }
  return padded.subarray(0, end);
}
