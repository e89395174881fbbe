/**
 * HMAC-SHA-256 for the per-message hot path of the Double Ratchet, without allocations: keys of
 * at most 64 bytes, messages of at most 55 bytes (one final SHA-256 block). Everything else uses
 * @noble/hashes; the tests check this file against it and against RFC 4231.
 *
 * A keyed state holds the SHA-256 states after the inner and outer padded key blocks, so once
 * the key is set an HMAC costs exactly two compressions. Messages that never change can be
 * padded once (`padFinalBlock`) and reused.
 */
import { compressSha256 as compress, SHA256_IV as IV } from "./sha256-compress";

const IPAD = 0x36363636;
const OPAD = 0x5c5c5c5c;
const keyBlock = new Int32Array(16);
/** The outer hash's final block: the inner digest in words 0–7, then fixed padding for 96 bytes. */
const outerBlock = new Int32Array(16);
outerBlock[8] = 0x80000000 | 0;
outerBlock[15] = (64 + 32) * 8;

/** Big-endian words of `bytes[offset..offset+4·count]`. */
export function readWords(bytes: Uint8Array, out: Int32Array, count = out.length, offset = 0): void {
  for (let i = 0; i < count; i++) {
    const at = offset + 4 * i;
    out[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  }
}

/** The bytes of `words`, big-endian, into `out[offset..]`. */
export function writeWords(words: Int32Array, out: Uint8Array, offset = 0): void {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const at = offset + 4 * i;
    out[at] = word >>> 24;
    out[at + 1] = (word >>> 16) & 0xff;
    out[at + 2] = (word >>> 8) & 0xff;
    out[at + 3] = word & 0xff;
  }
}

/**
 * The final block of a hash whose last `bytes` (≤ 55) follow one 64-byte block (the HMAC key
 * pad), SHA-256 padding included.
 * @throws {RangeError} for more than 55 bytes.
 */
export function padFinalBlock(bytes: Uint8Array, out = new Int32Array(16)): Int32Array {
  if (bytes.length > 55) throw new RangeError("message longer than one block");
  out.fill(0);
  const length = bytes.length;
  for (let i = 0; i < length; i++) out[i >> 2]! |= bytes[i]! << (24 - 8 * (i & 3));
  out[length >> 2]! |= 0x80 << (24 - 8 * (length & 3));
  out[15] = (64 + length) * 8;
  return out;
}

/** The two SHA-256 states of an HMAC key, after its inner and outer pad blocks. */
export class HmacSha256Key {
  readonly inner = new Int32Array(8);
  readonly outer = new Int32Array(8);

  /** @throws {RangeError} for keys longer than one block (64 bytes). */
  constructor(key?: Uint8Array) {
    if (key) this.setKey(key);
  }

  /** Re-keys in place (two compressions). */
  setKey(key: Uint8Array): void {
    if (key.length > 64) throw new RangeError("HMAC keys longer than 64 bytes are not supported here");
    const words = new Int32Array(16);
    for (let i = 0; i < key.length; i++) words[i >> 2]! |= key[i]! << (24 - 8 * (i & 3));
    this.setKeyBlock(words, 16);
    words.fill(0);
  }

  /** Re-keys in place with a 32-byte key given as 8 big-endian words (two compressions). */
  setKeyWords(words: Int32Array): void {
    this.setKeyBlock(words, 8);
  }

  /** Small loops rather than typed-array set/fill: on 8–16 words V8 runs them several times faster. */
  private setKeyBlock(words: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) keyBlock[i] = words[i]! ^ IPAD;
    for (let i = count; i < 16; i++) keyBlock[i] = IPAD;
    compress(IV, keyBlock, this.inner);
    for (let i = 0; i < count; i++) keyBlock[i] = words[i]! ^ OPAD;
    for (let i = count; i < 16; i++) keyBlock[i] = OPAD;
    compress(IV, keyBlock, this.outer);
    for (let i = 0; i < 16; i++) keyBlock[i] = 0;
  }

  wipe(): void {
    for (let i = 0; i < 8; i++) {
      this.inner[i] = 0;
      this.outer[i] = 0;
    }
  }
}

/** HMAC-SHA-256 of a message already padded by `padFinalBlock`, as 8 words into `out`. */
export function hmacSha256Words(key: HmacSha256Key, finalBlock: Int32Array, out: Int32Array): void {
  compress(key.inner, finalBlock, outerBlock);
  compress(key.outer, outerBlock, out);
  for (let i = 0; i < 8; i++) outerBlock[i] = 0;
}

const messageBlock = new Int32Array(16);
const digest = new Int32Array(8);

/**
 * HMAC-SHA-256(key, message) for messages of at most 55 bytes, written to `out[offset..+32]`.
 * @throws {RangeError} for longer messages.
 */
export function hmacSha256Short(key: HmacSha256Key, message: Uint8Array, out: Uint8Array, offset = 0): void {
  hmacSha256Words(key, padFinalBlock(message, messageBlock), digest);
  writeWords(digest, out, offset);
  messageBlock.fill(0);
  digest.fill(0);
}
