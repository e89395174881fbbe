import { beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { IdentityKeyPair } from "./identity-key";
import { generateKyberPreKeys, KyberPreKeyRecord, verifyKyberPreKey } from "./kyber-pre-key-record";
import { KyberPublicKey, ML_KEM_768 } from "./ml-kem";

beforeAll(loadCryptoCore);

describe("ML-KEM-768 prekeys", () => {
  const random = createDeterministicRandom("kyber");
  const now = Date.UTC(2026, 2, 1);

  it("encapsulate to the public key and decapsulate with the record's key", () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const record = KyberPreKeyRecord.generate({ id: 1, kind: "lastResort", identityKeyPair, now, random });
    const { ciphertext, sharedSecret } = record.keyPair.publicKey.encapsulate(random);
    expect(ciphertext.length).toBe(ML_KEM_768.ciphertextBytes);
    expect(record.keyPair.decapsulate(ciphertext)).toEqual(sharedSecret);
    const tampered = ciphertext.slice();
    tampered[0]! ^= 1;
    expect(record.keyPair.decapsulate(tampered)).not.toEqual(sharedSecret);
    expect(() => record.keyPair.decapsulate(ciphertext.subarray(1))).toThrow(expect.objectContaining({ code: "InvalidMessage" }));
  });

  it("are signed over id and encoded key, and round-trip from their 64-byte seed", () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const [record] = generateKyberPreKeys({ firstId: 40, count: 1, identityKeyPair, now, random });
    expect(record!.kind).toBe("oneTime");
    expect(verifyKyberPreKey(identityKeyPair.identityKey, record!.toPublic())).toBe(true);
    expect(verifyKyberPreKey(identityKeyPair.identityKey, { ...record!.toPublic(), id: 41 })).toBe(false);
    const bytes = record!.serialize();
    expect(bytes.length).toBe(1 + 4 + 1 + 8 + 64 + 64);
    const restored = KyberPreKeyRecord.deserialize(bytes);
    expect(restored.keyPair.publicKey.equals(record!.keyPair.publicKey)).toBe(true);
    expect(restored.kind).toBe("oneTime");
    expect(restored.createdAt).toBe(now);
    const badKind = bytes.slice();
    badKind[5] = 2;
    expect(() => KyberPreKeyRecord.deserialize(badKind)).toThrow(expect.objectContaining({ code: "InvalidKey" }));
  });

  it("refuse public keys of the wrong length, type or with a coefficient ≥ q", () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const record = KyberPreKeyRecord.generate({ id: 1, kind: "oneTime", identityKeyPair, now, random });
    const encoded = record.keyPair.publicKey.serialize();
    expect(encoded[0]).toBe(0x0a);
    expect(KyberPublicKey.deserialize(encoded).equals(record.keyPair.publicKey)).toBe(true);
    const outOfRange = encoded.slice();
    outOfRange[1] = 0xff;
    outOfRange[2] = 0x0f;
    for (const bad of [encoded.subarray(0, 1184), Uint8Array.of(0x05, ...encoded.subarray(1)), outOfRange]) {
      expect(() => KyberPublicKey.deserialize(bad)).toThrow(expect.objectContaining({ code: "InvalidKey" }));
    }
  });
});
