import { createHmac, hkdfSync } from "node:crypto";
import fc from "fast-check";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { hkdfSha256, kdfChainKey, kdfRootKey } from "./kdf";

/** Bytes 0, 1, 2, … (mod 256) from `from`, so every position differs. */
const counting = (length: number, from = 0) => Uint8Array.from({ length }, (_, i) => (from + i) & 0xff);

describe("hkdfSha256", () => {
  it("matches RFC 5869 test case 1", () => {
    const okm = hkdfSha256(hexToBytes("0b".repeat(22)), hexToBytes("000102030405060708090a0b0c"), hexToBytes("f0f1f2f3f4f5f6f7f8f9"), 42);
    expect(bytesToHex(okm)).toBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  });

  it("matches node:crypto with salts (the HMAC key) and key material around SHA-256's block boundaries", () => {
    // 55/56: whether the length still fits in the last block; 64/65: keys longer than a block are hashed first.
    const lengths = [0, 1, 32, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129];
    for (const saltLength of lengths) {
      for (const ikmLength of lengths) {
        const salt = counting(saltLength, 0x41);
        const ikm = counting(ikmLength, 0x90);
        const info = counting(ikmLength % 60, 0x07);
        const expected = bytesToHex(new Uint8Array(hkdfSync("sha256", ikm, salt, info, 64)));
        expect([saltLength, ikmLength, bytesToHex(hkdfSha256(ikm, salt, info, 64))]).toEqual([saltLength, ikmLength, expected]);
      }
    }
  });
});

describe("KDF_CK", () => {
  it("is HMAC-SHA-256(CK, 0x01) for the message key and HMAC-SHA-256(CK, 0x02) for the next chain key", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (chainKey) => {
        const { messageKey, nextChainKey } = kdfChainKey(chainKey);
        expect(bytesToHex(messageKey)).toBe(createHmac("sha256", chainKey).update(Uint8Array.of(1)).digest("hex"));
        expect(bytesToHex(nextChainKey)).toBe(createHmac("sha256", chainKey).update(Uint8Array.of(2)).digest("hex"));
      }),
      { numRuns: 200 },
    );
  });

  it("reproduces the frozen chain from 32 × 0x01", () => {
    // Pins three KDF_CK steps: the message keys (each one is also its message's
    // XChaCha20-Poly1305 key, with no further derivation) and the chain key after them.
    let chainKey: Uint8Array = new Uint8Array(32).fill(1);
    const messageKeys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const step = kdfChainKey(chainKey);
      messageKeys.push(bytesToHex(step.messageKey));
      chainKey = step.nextChainKey;
    }
    expect(messageKeys).toEqual([
      "cc6efb872c237f565ee82df42e4cab00098b13710395e3c6d29f2907d69e4f04",
      "7f9b7eee1ac1776859f044f1ff38b8be2f1098100c357c2060305853f192ccd1",
      "4869ee1a65f17daba4f4a0bbc2e79307f865e3009eec1a57f8761f3330349a42",
    ]);
    expect(bytesToHex(chainKey)).toBe("f71214c4f0401491482f20d6b2b9a4fde6a39237a84c7b0f9a806367faf073d0");
  });
});

describe("KDF_RK", () => {
  it('splits HKDF(salt = RK, IKM = DH, info "Hearth_DR_Root", 64) into root and chain keys', () => {
    const rootKey = new Uint8Array(32).fill(2);
    const dh = new Uint8Array(32).fill(3);
    const okm = hkdf(sha256, dh, rootKey, utf8ToBytes("Hearth_DR_Root"), 64);
    const result = kdfRootKey(rootKey, dh);
    expect(bytesToHex(result.rootKey)).toBe(bytesToHex(okm.subarray(0, 32)));
    expect(bytesToHex(result.chainKey)).toBe(bytesToHex(okm.subarray(32)));
    expect(bytesToHex(result.rootKey)).toBe("2f4d3111ba36ba502503e9b7fb5bd4f982e26bedbc431d5da5a1a860c9e0e1b6");
    expect(bytesToHex(result.chainKey)).toBe("92df42a04af80457915846ea4182e370c96f0d77e989d12ccd34334acf58decc");
  });
});
