import { beforeAll, describe, expect, it } from "vitest";
import { aeadEncrypt } from "../aead";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { ByteWriter } from "../bytes";
import { hkdfSha256, hmacSha256, KDF_LABELS } from "../kdf";
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
    newer[0] = 3;
    expect(() => openSealedEnvelope({ envelope: newer, recipientIdentity: bob })).toThrow(expect.objectContaining({ code: "UnsupportedVersion" }));
  });

  it("still opens version 1 (signed) envelopes, and refuses one whose signature is not the claimed sender's, or was made for another recipient", () => {
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

  describe("version 2: the sender authenticated by a static DH, not a signature", () => {
    /** A version 2 envelope to `recipient` whose content claims `claimed` and whose MAC is keyed by `staticSecret`, ordered as `macOrder`. */
    function sealV2(options: { recipient: IdentityKeyPair; claimed: IdentityKeyPair; staticSecret: Uint8Array; macOrder: [IdentityKeyPair, IdentityKeyPair] }) {
      const { recipient, claimed, staticSecret, macOrder } = options;
      const content = new ByteWriter()
        .u8(2)
        .bytes(claimed.identityKey.serialize())
        .u16(5)
        .bytes(utf8ToBytes("alice"))
        .u32(1)
        .u64(0)
        .u8(1)
        .lengthPrefixed(utf8ToBytes("hi"))
        .finish();
      const ephemeral = X25519KeyPair.generate(random);
      const header = concatBytes(Uint8Array.of(2), ephemeral.publicKey.serialize());
      const macInfo = concatBytes(utf8ToBytes(KDF_LABELS.sealedSenderV2Sender), macOrder[0].identityKey.serialize(), macOrder[1].identityKey.serialize());
      const mac = hmacSha256(hkdfSha256(staticSecret, header, macInfo, 32), content);
      const dh = ephemeral.agree(X25519PublicKey.fromBytes(recipient.identityKey.dhPublicKey));
      const info = concatBytes(utf8ToBytes(KDF_LABELS.sealedSenderV2), header.subarray(1), recipient.identityKey.serialize());
      const okm = hkdfSha256(dh, new Uint8Array(32), info, 56);
      return concatBytes(header, aeadEncrypt(okm.subarray(0, 32), okm.subarray(32), pad(concatBytes(content, mac)), header));
    }

    it("seals version 2, which costs the sender no signature", () => {
      const alice = IdentityKeyPair.generate(random);
      const bob = IdentityKeyPair.generate(random);
      expect(seal(alice, bob, utf8ToBytes("hi"))[0]).toBe(2);
      const genuine = sealV2({ recipient: bob, claimed: alice, staticSecret: alice.staticSecretWith(bob.identityKey), macOrder: [alice, bob] });
      expect(openSealedEnvelope({ envelope: genuine, recipientIdentity: bob }).senderIdentityKey.equals(alice.identityKey)).toBe(true);
    });

    it("is deniable: the recipient could have made an envelope from the sender itself", () => {
      const alice = IdentityKeyPair.generate(random);
      const bob = IdentityKeyPair.generate(random);
      const madeByBob = sealV2({ recipient: bob, claimed: alice, staticSecret: bob.staticSecretWith(alice.identityKey), macOrder: [alice, bob] });
      expect(openSealedEnvelope({ envelope: madeByBob, recipientIdentity: bob }).senderUserId).toBe("alice");
    });

    it("refuses a sender claimed by someone else, a proof made for another recipient, and an envelope reflected back", () => {
      const alice = IdentityKeyPair.generate(random);
      const mallory = IdentityKeyPair.generate(random);
      const bob = IdentityKeyPair.generate(random);
      const carol = IdentityKeyPair.generate(random);
      const forgeries = [
        // Mallory claims to be Alice, with the only static secret she can make with Bob.
        sealV2({ recipient: bob, claimed: alice, staticSecret: mallory.staticSecretWith(bob.identityKey), macOrder: [alice, bob] }),
        // Alice's proof for Carol, sealed to Bob.
        sealV2({ recipient: bob, claimed: alice, staticSecret: alice.staticSecretWith(carol.identityKey), macOrder: [alice, carol] }),
      ];
      for (const envelope of forgeries) {
        expect(() => openSealedEnvelope({ envelope, recipientIdentity: bob })).toThrow(expect.objectContaining({ code: "InvalidEnvelope" }));
      }
      // Alice's proof to Bob (same static secret both ways), sent to Alice as if Bob wrote it.
      const reflected = sealV2({ recipient: alice, claimed: bob, staticSecret: alice.staticSecretWith(bob.identityKey), macOrder: [alice, bob] });
      expect(() => openSealedEnvelope({ envelope: reflected, recipientIdentity: alice })).toThrow(expect.objectContaining({ code: "InvalidEnvelope" }));
    });

    it("keeps each static secret once per peer, and hands out copies the caller may wipe", () => {
      const alice = IdentityKeyPair.generate(random);
      const bob = IdentityKeyPair.generate(random);
      const first = alice.staticSecretWith(bob.identityKey);
      first.fill(0);
      expect(alice.staticSecretWith(bob.identityKey)).toEqual(bob.staticSecretWith(alice.identityKey));
      expect(alice.staticSecretWith(bob.identityKey).some((byte) => byte !== 0)).toBe(true);
    });
  });
});
