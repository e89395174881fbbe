import { beforeAll, describe, expect, it } from "vitest";
import { hexToBytes } from "@noble/hashes/utils.js";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { IdentityKey, IdentityKeyPair } from "./identity-key";
import { X25519KeyPair, X25519PublicKey } from "./x25519";

beforeAll(loadCryptoCore);

describe("identity keys", () => {
  const random = createDeterministicRandom("identity");

  it("round-trips the key pair (version 0x01 ‖ seed) and the public key (0x06 ‖ key)", () => {
    const pair = IdentityKeyPair.generate(random);
    const restored = IdentityKeyPair.deserialize(pair.serialize());
    expect(restored.identityKey.equals(pair.identityKey)).toBe(true);
    const encoded = pair.identityKey.serialize();
    expect(encoded.length).toBe(33);
    expect(encoded[0]).toBe(0x06);
    expect(IdentityKey.deserialize(encoded).equals(pair.identityKey)).toBe(true);
  });

  it("refuses wrong lengths, versions, type bytes and small-order points", () => {
    const pair = IdentityKeyPair.generate(random);
    const serialized = pair.serialize();
    const invalid = { code: "InvalidKey" };
    expect(() => IdentityKeyPair.deserialize(serialized.subarray(1))).toThrow(expect.objectContaining(invalid));
    expect(() => IdentityKeyPair.deserialize(Uint8Array.of(2, ...serialized.subarray(1)))).toThrow(expect.objectContaining(invalid));
    const encoded = pair.identityKey.serialize();
    expect(() => IdentityKey.deserialize(Uint8Array.of(0x05, ...encoded.subarray(1)))).toThrow(expect.objectContaining(invalid));
    expect(() => IdentityKey.deserialize(encoded.subarray(0, 32))).toThrow(expect.objectContaining(invalid));
    for (const point of ["0100000000000000000000000000000000000000000000000000000000000000", "00".repeat(32)]) {
      expect(() => IdentityKey.fromPublicKey(hexToBytes(point))).toThrow(expect.objectContaining(invalid));
    }
  });

  it("reads stored keys without converting them, and still refuses an invalid one at first DH", () => {
    const pair = IdentityKeyPair.generate(random);
    const stored = IdentityKey.fromStorage(pair.identityKey.serialize());
    expect(stored.equals(pair.identityKey)).toBe(true);
    expect(stored.dhPublicKey).toEqual(pair.identityKey.dhPublicKey);
    const invalid = IdentityKey.fromStorage(Uint8Array.of(0x06, ...hexToBytes("01".padEnd(64, "0"))));
    expect(() => invalid.dhPublicKey).toThrow(expect.objectContaining({ code: "InvalidKey" }));
    expect(() => IdentityKey.fromStorage(new Uint8Array(33))).toThrow(expect.objectContaining({ code: "InvalidKey" }));
  });

  it("signs with a purpose label: a signature verifies only for its own label and parts", () => {
    const pair = IdentityKeyPair.generate(random);
    const part = Uint8Array.of(1, 2, 3);
    const signature = pair.sign("Hearth_Test_A", part);
    expect(pair.identityKey.verify(signature, "Hearth_Test_A", part)).toBe(true);
    expect(pair.identityKey.verify(signature, "Hearth_Test_B", part)).toBe(false);
    expect(pair.identityKey.verify(signature, "Hearth_Test_A", Uint8Array.of(1, 2, 4))).toBe(false);
    expect(pair.identityKey.verify(signature.subarray(1), "Hearth_Test_A", part)).toBe(false);
    const other = IdentityKeyPair.generate(random);
    expect(other.identityKey.verify(signature, "Hearth_Test_A", part)).toBe(false);
  });

  it("does Diffie-Hellman through its X25519 form", () => {
    const pair = IdentityKeyPair.generate(random);
    const other = X25519KeyPair.generate(random);
    expect(pair.agree(other.publicKey)).toEqual(other.agree(X25519PublicKey.fromBytes(pair.identityKey.dhPublicKey)));
  });
});
