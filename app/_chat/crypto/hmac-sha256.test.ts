import fc from "fast-check";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { fromHex, toHex, utf8 } from "./bytes";
import { HmacSha256Key, hmacSha256Short } from "./hmac-sha256";
import { compressSha256, SHA256_IV } from "./sha256-compress";

function mac(key: Uint8Array, message: Uint8Array): string {
  const out = new Uint8Array(32);
  hmacSha256Short(new HmacSha256Key(key), message, out);
  return toHex(out);
}

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
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 55 }), (key, message) => {
        expect(mac(key, message)).toBe(toHex(hmac(sha256, key, message)));
      }),
      { numRuns: 500 },
    );
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
