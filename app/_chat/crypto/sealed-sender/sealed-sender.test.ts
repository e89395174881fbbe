import { beforeAll, describe, expect, it } from "vitest";
import { aeadEncrypt } from "../aead";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { ByteWriter } from "../bytes";
import { hkdfSha256, KDF_LABELS } from "../kdf";
import { IdentityKeyPair } from "../keys/identity-key";
import { X25519KeyPair, X25519PublicKey } from "../keys/x25519";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { pad } from "./padding";
import { openSealedEnvelope, sealSenderEnvelope, SEALED_SENDER_SIGNATURE_LABEL } from "./sealed-sender";

beforeAll(loadCryptoCore);

const random = createDeterministicRandom("sealed-sender");

function seal(sender: IdentityKeyPair, recipient: IdentityKeyPair, body: Uint8Array, userId = "alice-user-id") {
  return sealSenderEnvelope({
    senderIdentity: sender,
    senderUserId: userId,
    senderDeviceId: 3,
    timestamp: 1_767_225_600_000,
    message: { type: "message", body },
    recipientIdentityKey: recipient.identityKey,
    random,
  });
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return bytesToHex(haystack).includes(bytesToHex(needle));
}

describe("sealed sender", () => {
  it("carries the sender inside and authenticates it", () => {
    const alice = IdentityKeyPair.generate(random);
    const bob = IdentityKeyPair.generate(random);
    const envelope = seal(alice, bob, utf8ToBytes("inner message"));
    const content = openSealedEnvelope({ envelope, recipientIdentity: bob });
    expect(content.senderIdentityKey.equals(alice.identityKey)).toBe(true);
    expect(content.senderUserId).toBe("alice-user-id");
    expect(content.senderDeviceId).toBe(3);
    expect(content.timestamp).toBe(1_767_225_600_000);
    expect(content.message).toEqual({ type: "message", body: utf8ToBytes("inner message") });
  });

  it("puts nothing of the sender in the envelope bytes", () => {
    const alice = IdentityKeyPair.generate(random);
    const bob = IdentityKeyPair.generate(random);
    const userId = "alice-user-id";
    for (let i = 0; i < 20; i++) {
      const envelope = seal(alice, bob, new Uint8Array(i * 7).fill(0x41), userId);
      for (const secret of [alice.identityKey.publicKey, alice.identityKey.dhPublicKey, utf8ToBytes(userId), utf8ToBytes("alice")]) {
        expect(contains(envelope, secret)).toBe(false);
      }
    }
  });

  it("reveals only the size bucket in its length", () => {
    const alice = IdentityKeyPair.generate(random);
    const bob = IdentityKeyPair.generate(random);
    const lengths = new Set<number>();
    for (let size = 0; size <= 100; size += 5) lengths.add(seal(alice, bob, new Uint8Array(size)).length);
    expect([...lengths]).toEqual([1 + 33 + 256 + 16]);
    const bucket = (size: number) => seal(alice, bob, new Uint8Array(size)).length - 1 - 33 - 16;
    expect([bucket(500), bucket(800), bucket(2000), bucket(10_000), bucket(40_000), bucket(70_000)]).toEqual([1024, 1024, 4096, 16_384, 65_536, 131_072]);
  });

  it("opens only for its recipient, and refuses any altered byte", () => {
    const alice = IdentityKeyPair.generate(random);
    const bob = IdentityKeyPair.generate(random);
    const carol = IdentityKeyPair.generate(random);
    const envelope = seal(alice, bob, utf8ToBytes("for bob"));
    expect(() => openSealedEnvelope({ envelope, recipientIdentity: carol })).toThrow(expect.objectContaining({ code: "InvalidEnvelope" }));
    for (const index of [1, 5, 40, 200, envelope.length - 1]) {
      const altered = envelope.slice();
      altered[index]! ^= 1;
      expect(() => openSealedEnvelope({ envelope: altered, recipientIdentity: bob })).toThrow(expect.objectContaining({ code: "InvalidEnvelope" }));
    }
    expect(() => openSealedEnvelope({ envelope: envelope.subarray(0, 40), recipientIdentity: bob })).toThrow(
      expect.objectContaining({ code: "InvalidEnvelope" }),
    );
    const newer = envelope.slice();
    newer[0] = 2;
    expect(() => openSealedEnvelope({ envelope: newer, recipientIdentity: bob })).toThrow(expect.objectContaining({ code: "UnsupportedVersion" }));
  });

  it("refuses content whose signature is not the claimed sender's, or was made for another recipient", () => {
    const alice = IdentityKeyPair.generate(random);
    const mallory = IdentityKeyPair.generate(random);
    const bob = IdentityKeyPair.generate(random);
    const carol = IdentityKeyPair.generate(random);
    const content = new ByteWriter()
      .u8(1)
      .bytes(alice.identityKey.serialize())
      .u16(5)
      .bytes(utf8ToBytes("alice"))
      .u32(1)
      .u64(0)
      .u8(1)
      .lengthPrefixed(utf8ToBytes("hi"))
      .finish();
    const sealRaw = (signature: Uint8Array) => {
      const ephemeral = X25519KeyPair.generate(random);
      const header = concatBytes(Uint8Array.of(1), ephemeral.publicKey.serialize());
      const dh = ephemeral.agree(X25519PublicKey.fromBytes(bob.identityKey.dhPublicKey));
      const info = concatBytes(utf8ToBytes(KDF_LABELS.sealedSender), header.subarray(1), bob.identityKey.serialize());
      const okm = hkdfSha256(dh, new Uint8Array(32), info, 56);
      return concatBytes(header, aeadEncrypt(okm.subarray(0, 32), okm.subarray(32), pad(concatBytes(content, signature)), header));
    };
    const genuine = alice.sign(SEALED_SENDER_SIGNATURE_LABEL, bob.identityKey.serialize(), content);
    expect(openSealedEnvelope({ envelope: sealRaw(genuine), recipientIdentity: bob }).senderUserId).toBe("alice");
    for (const signature of [
      mallory.sign(SEALED_SENDER_SIGNATURE_LABEL, bob.identityKey.serialize(), content),
      alice.sign(SEALED_SENDER_SIGNATURE_LABEL, carol.identityKey.serialize(), content),
      alice.sign("Hearth_SignedPreKey_v1", bob.identityKey.serialize(), content),
    ]) {
      expect(() => openSealedEnvelope({ envelope: sealRaw(signature), recipientIdentity: bob })).toThrow(expect.objectContaining({ code: "InvalidEnvelope" }));
    }
  });
});
