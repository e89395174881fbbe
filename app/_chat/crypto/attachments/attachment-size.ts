/**
 * The sizes of an encrypted attachment, known before a byte is encrypted (the upload declares
 * its length in advance). The plaintext is padded with zeros to a bucket, Signal's
 * max(541, floor(1.05^ceil(log_1.05(size)))), so the server learns the bucket, not the size, at
 * a cost under 5%. The buckets are computed with integers: JavaScript's Math.pow and Math.log are
 * not correctly rounded, and two engines that disagreed on a bucket would disagree on the length
 * of every attachment in it (the receiver would refuse it).
 */

/** Plaintext bytes per secretstream message; the last one may be shorter. */
export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;
/** The largest attachment, in plaintext bytes. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;
export const ATTACHMENT_KEY_BYTES = 32;
export const ATTACHMENT_DIGEST_BYTES = 32;
/** crypto_secretstream_xchacha20poly1305_HEADERBYTES and _ABYTES, fixed by libsodium's format. */
export const STREAM_HEADER_BYTES = 24;
export const STREAM_CHUNK_OVERHEAD_BYTES = 17;

const SMALLEST_BUCKET = 541;

let buckets: readonly number[] | undefined;

/** floor(1.05^k) for every k whose value lies between the smallest bucket and the first one that holds MAX_ATTACHMENT_BYTES. */
function growthBuckets(): readonly number[] {
  const out: number[] = [];
  let numerator = 1n;
  let denominator = 1n;
  for (;;) {
    const bucket = Number(numerator / denominator);
    if (bucket > SMALLEST_BUCKET) out.push(bucket);
    if (bucket >= MAX_ATTACHMENT_BYTES) return out;
    numerator *= 21n;
    denominator *= 20n;
  }
}

export function isValidAttachmentSize(size: number): boolean {
  return Number.isSafeInteger(size) && size >= 0 && size <= MAX_ATTACHMENT_BYTES;
}

/**
 * The plaintext length after padding: the smallest bucket that holds `size` bytes.
 * @throws {RangeError} for a size that is not an integer in [0, MAX_ATTACHMENT_BYTES].
 */
export function paddedAttachmentSize(size: number): number {
  if (!isValidAttachmentSize(size)) throw new RangeError(`an attachment size must be an integer in [0, ${MAX_ATTACHMENT_BYTES}]`);
  if (size <= SMALLEST_BUCKET) return SMALLEST_BUCKET;
  const table = (buckets ??= growthBuckets());
  let low = 0;
  let high = table.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (table[middle]! >= size) high = middle;
    else low = middle + 1;
  }
  return table[low]!;
}

/** Secretstream messages in the ciphertext of `size` plaintext bytes (at least one: the padding). */
export function attachmentChunkCount(size: number): number {
  return Math.ceil(paddedAttachmentSize(size) / ATTACHMENT_CHUNK_BYTES);
}

/**
 * The exact ciphertext length for `size` plaintext bytes: the secretstream header, then the
 * padded plaintext in chunks of ATTACHMENT_CHUNK_BYTES, each 17 bytes longer.
 * @throws {RangeError} for a size that is not an integer in [0, MAX_ATTACHMENT_BYTES].
 */
export function encryptedAttachmentSize(size: number): number {
  return STREAM_HEADER_BYTES + paddedAttachmentSize(size) + STREAM_CHUNK_OVERHEAD_BYTES * attachmentChunkCount(size);
}
