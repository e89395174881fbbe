import { beforeAll, describe, expect, it } from "vitest";
import { hexToBytes } from "@noble/hashes/utils.js";
import { isCryptoError } from "../errors";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { x25519, X25519KeyPair, X25519PublicKey } from "./x25519";

beforeAll(loadCryptoCore);

const LOW_ORDER_POINTS = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
];

describe("X25519", () => {
  const random = createDeterministicRandom("x25519");

  it("agrees on the same secret from both sides", () => {
    const a = X25519KeyPair.generate(random);
    const b = X25519KeyPair.generate(random);
    expect(a.agree(b.publicKey)).toEqual(b.agree(a.publicKey));
  });

  it("matches RFC 7748's Diffie-Hellman test vector", () => {
    const alice = X25519KeyPair.fromPrivateKey(hexToBytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    const bob = X25519PublicKey.fromBytes(hexToBytes("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
    expect(alice.publicKey.bytes).toEqual(hexToBytes("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    expect(alice.agree(bob)).toEqual(hexToBytes("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));
  });

  it.each(LOW_ORDER_POINTS)("refuses the low-order point %s", (hex) => {
    const pair = X25519KeyPair.generate(random);
    expect(() => pair.agree(X25519PublicKey.fromBytes(hexToBytes(hex)))).toThrow(expect.objectContaining({ code: "InvalidKey" }));
  });

  it("round-trips the 0x05-prefixed encoding and refuses other lengths and types", () => {
    const pair = X25519KeyPair.generate(random);
    const encoded = pair.publicKey.serialize();
    expect(encoded[0]).toBe(0x05);
    expect(X25519PublicKey.deserialize(encoded).equals(pair.publicKey)).toBe(true);
    for (const bad of [encoded.subarray(1), Uint8Array.of(0x06, ...encoded.subarray(1)), Uint8Array.of(...encoded, 0)]) {
      let error: unknown;
      try {
        X25519PublicKey.deserialize(bad);
      } catch (caught) {
        error = caught;
      }
      expect(isCryptoError(error, "InvalidKey")).toBe(true);
    }
    expect(() => x25519(new Uint8Array(31), new Uint8Array(32))).toThrow(expect.objectContaining({ code: "InvalidKey" }));
  });
});
