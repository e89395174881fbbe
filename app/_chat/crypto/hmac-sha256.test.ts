import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { fromHex, toHex, utf8 } from "./bytes";
import { HmacSha256Key, hmacSha256Short, readWords, writeWords } from "./hmac-sha256";
import { compressSha256, SHA256_IV } from "./sha256-compress";

function mac(key: Uint8Array, message: Uint8Array): string {
  const out = new Uint8Array(32);
  hmacSha256Short(new HmacSha256Key(key), message, out);
  return toHex(out);
}

/** Bytes 0, 1, 2, … (mod 256), so every position differs. */
const counting = (length: number, from = 0) => Uint8Array.from({ length }, (_, i) => (from + i) & 0xff);

/**
 * SHA-256 of `message` by `compressSha256` alone, continuing from `state` after `prefixBytes`
 * already compressed (a multiple of 64): the padding is written here, so messages of any length
 * cross the block boundaries the one-block code never meets.
 */
function sha256From(state: Int32Array, prefixBytes: number, message: Uint8Array): Uint8Array {
  const paddedLength = Math.ceil((message.length + 9) / 64) * 64;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  const bits = (prefixBytes + message.length) * 8;
  new DataView(padded.buffer).setUint32(paddedLength - 4, bits);
  const current = state.slice();
  const block = new Int32Array(16);
  for (let at = 0; at < paddedLength; at += 64) {
    readWords(padded, block, 16, at);
    compressSha256(current, block);
  }
  const digest = new Uint8Array(32);
  writeWords(current, digest);
  return digest;
}

/** Lengths around SHA-256's block boundaries: 55/56 decide whether the length fits in the last block. */
const BLOCK_BOUNDARY_LENGTHS = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129];

describe("hmacSha256Short", () => {
  it("matches RFC 4231 test cases 1 and 2", () => {
    expect(mac(new Uint8Array(20).fill(0x0b), utf8("Hi There"))).toBe(
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    );
    expect(mac(utf8("Jefe"), utf8("what do ya want for nothing?"))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("matches @noble/hashes for every key up to 64 bytes and message up to 55 bytes", () => {
    let longestKey = 0;
    let longestMessage = 0;
    fc.assert(
      // size "max": the default size would keep both to about ten bytes, far from the 55/64 limits.
      fc.property(fc.uint8Array({ maxLength: 64, size: "max" }), fc.uint8Array({ maxLength: 55, size: "max" }), (key, message) => {
        longestKey = Math.max(longestKey, key.length);
        longestMessage = Math.max(longestMessage, message.length);
        expect(mac(key, message)).toBe(toHex(hmac(sha256, key, message)));
      }),
      { numRuns: 500 },
    );
    expect(longestKey).toBeGreaterThanOrEqual(60);
    expect(longestMessage).toBeGreaterThanOrEqual(50);
  });

  it("matches node:crypto at the block boundaries of keys (up to 64 bytes) and messages (up to 55)", () => {
    for (const keyLength of [0, 1, 31, 32, 33, 55, 56, 57, 63, 64]) {
      for (const messageLength of [0, 1, 31, 32, 33, 54, 55]) {
        const key = counting(keyLength, 0x41);
        const message = counting(messageLength, 0x90);
        const expected = createHmac("sha256", key).update(message).digest("hex");
        expect([keyLength, messageLength, mac(key, message)]).toEqual([keyLength, messageLength, expected]);
      }
    }
  });

  it("keys inner and outer states that give node:crypto's HMAC for messages of any length", () => {
    for (const keyLength of [0, 32, 55, 56, 63, 64]) {
      const key = counting(keyLength, 7);
      const hmacKey = new HmacSha256Key(key);
      for (const messageLength of BLOCK_BOUNDARY_LENGTHS) {
        const message = counting(messageLength, 0xf0);
        const inner = sha256From(hmacKey.inner, 64, message);
        const expected = createHmac("sha256", key).update(message).digest("hex");
        expect([keyLength, messageLength, toHex(sha256From(hmacKey.outer, 64, inner))]).toEqual([keyLength, messageLength, expected]);
      }
    }
  });

  it("writes at an offset and refuses what it cannot do in one block", () => {
    const out = new Uint8Array(40);
    hmacSha256Short(new HmacSha256Key(fromHex("00".repeat(32))), new Uint8Array(3), out, 8);
    expect(toHex(out.subarray(8))).toBe(toHex(hmac(sha256, new Uint8Array(32), new Uint8Array(3))));
    expect(() => hmacSha256Short(new HmacSha256Key(new Uint8Array(32)), new Uint8Array(56), out)).toThrow(RangeError);
    expect(() => new HmacSha256Key(new Uint8Array(65))).toThrow(RangeError);
  });
});

describe("compressSha256", () => {
  it("gives node:crypto's SHA-256 at every block boundary (0, 55/56, 63/64/65, 119/120, 127/128 bytes)", () => {
    for (const length of BLOCK_BOUNDARY_LENGTHS) {
      const message = counting(length);
      expect([length, toHex(sha256From(SHA256_IV, 0, message))]).toEqual([length, createHash("sha256").update(message).digest("hex")]);
    }
  });

  it("gives node:crypto's SHA-256 for random messages up to 200 bytes (several blocks)", () => {
    let longest = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200, size: "max" }), (message) => {
        longest = Math.max(longest, message.length);
        expect(toHex(sha256From(SHA256_IV, 0, message))).toBe(createHash("sha256").update(message).digest("hex"));
      }),
      { numRuns: 300 },
    );
    expect(longest).toBeGreaterThanOrEqual(180);
  });

  it("gives FIPS 180-4's SHA-256(\"abc\") for the one padded block", () => {
    const block = new Int32Array(16);
    block[0] = 0x61626380;
    block[15] = 24;
    const state = SHA256_IV.slice();
    compressSha256(state, block);
    expect(toHex(Uint8Array.from([...state].flatMap((word) => [word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff])))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});
