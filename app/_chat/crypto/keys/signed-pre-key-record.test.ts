import { beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { IdentityKeyPair } from "./identity-key";
import { SignedPreKeyRecord, SIGNED_PRE_KEY_ROTATION_MS, verifySignedPreKey } from "./signed-pre-key-record";
import { X25519KeyPair } from "./x25519";

beforeAll(loadCryptoCore);

describe("SignedPreKeyRecord", () => {
  const random = createDeterministicRandom("signed-prekey");
  const now = Date.UTC(2026, 2, 1);

  it("is signed by the identity key over its id and public key", () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const record = SignedPreKeyRecord.generate({ id: 7, identityKeyPair, now, random });
    expect(verifySignedPreKey(identityKeyPair.identityKey, record.toPublic())).toBe(true);
    expect(verifySignedPreKey(identityKeyPair.identityKey, { ...record.toPublic(), id: 8 })).toBe(false);
    const otherKey = X25519KeyPair.generate(random).publicKey;
    expect(verifySignedPreKey(identityKeyPair.identityKey, { ...record.toPublic(), publicKey: otherKey })).toBe(false);
    expect(verifySignedPreKey(IdentityKeyPair.generate(random).identityKey, record.toPublic())).toBe(false);
  });

  it("round-trips id, creation time, key pair and signature", () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const record = SignedPreKeyRecord.generate({ id: 0xffff_fffe, identityKeyPair, now, random });
    const restored = SignedPreKeyRecord.deserialize(record.serialize());
    expect(restored.id).toBe(0xffff_fffe);
    expect(restored.createdAt).toBe(now);
    expect(restored.keyPair.publicKey.equals(record.keyPair.publicKey)).toBe(true);
    expect(restored.signature).toEqual(record.signature);
    expect(record.serialize().length).toBe(1 + 4 + 8 + 32 + 64);
  });

  it("refuses truncated, extended or unknown-version records", () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const bytes = SignedPreKeyRecord.generate({ id: 1, identityKeyPair, now, random }).serialize();
    for (const bad of [bytes.subarray(0, bytes.length - 1), Uint8Array.of(...bytes, 0), Uint8Array.of(0, ...bytes.subarray(1))]) {
      expect(() => SignedPreKeyRecord.deserialize(bad)).toThrow(expect.objectContaining({ code: "InvalidKey" }));
    }
    expect(() => SignedPreKeyRecord.deserialize(Uint8Array.of(2, ...bytes.subarray(1)))).toThrow(expect.objectContaining({ code: "UnsupportedVersion" }));
  });

  it("asks for rotation after a week", () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const record = SignedPreKeyRecord.generate({ id: 1, identityKeyPair, now, random });
    expect(record.needsRotation(now + SIGNED_PRE_KEY_ROTATION_MS - 1)).toBe(false);
    expect(record.needsRotation(now + SIGNED_PRE_KEY_ROTATION_MS)).toBe(true);
  });
});
