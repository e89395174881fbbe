import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { beforeAll, describe, expect, it } from "vitest";
import { ByteWriter } from "../bytes";
import { IdentityKeyPair } from "../keys/identity-key";
import { SIGNED_PRE_KEY_LABEL } from "../keys/signed-pre-key-record";
import { X25519PublicKey } from "../keys/x25519";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { createTestDevice } from "../testing/test-device";
import { derivePqxdhSecret, pqxdhInitiate, pqxdhRespond } from "./pqxdh";
import { deserializePreKeyMessage, serializePreKeyMessage } from "./pre-key-message";

beforeAll(loadCryptoCore);

async function handshake(seed: string, withOneTimePreKey: boolean) {
  const random = createDeterministicRandom(seed);
  const bob = await createTestDevice({ userId: "bob", random });
  const aliceIdentity = IdentityKeyPair.generate(random);
  const bundle = await bob.bundle({ oneTimePreKey: withOneTimePreKey, oneTimeKyberPreKey: withOneTimePreKey });
  const initiator = pqxdhInitiate({ identityKeyPair: aliceIdentity, bundle, random });
  const responder = await pqxdhRespond({ identityKeyPair: bob.identityKeyPair, handshake: initiator.handshake, stores: bob.stores });
  return { bob, aliceIdentity, bundle, initiator, responder, random };
}

describe("PQXDH", () => {
  it.each([true, false])("gives both sides the same SK and AD (one-time prekey: %s)", async (withOneTimePreKey) => {
    const { initiator, responder, aliceIdentity, bob } = await handshake(`pqxdh-${withOneTimePreKey}`, withOneTimePreKey);
    expect(initiator.sharedKey.length).toBe(32);
    expect(bytesToHex(responder.sharedKey)).toBe(bytesToHex(initiator.sharedKey));
    expect(responder.associatedData).toEqual(concatBytes(aliceIdentity.identityKey.serialize(), bob.identityKeyPair.identityKey.serialize()));
    expect(initiator.associatedData).toEqual(responder.associatedData);
    expect(initiator.handshake.preKeyId !== undefined).toBe(withOneTimePreKey);
    expect(responder.preKey !== undefined).toBe(withOneTimePreKey);
    expect(responder.kyberPreKey.kind).toBe(withOneTimePreKey ? "oneTime" : "lastResort");
  });

  it("mixes DH4 in: leaving the one-time prekey out of the responder's view changes SK", async () => {
    const { initiator, bob } = await handshake("pqxdh-dh4", true);
    const withoutPreKey = { ...initiator.handshake };
    delete (withoutPreKey as { preKeyId?: number }).preKeyId;
    const responder = await pqxdhRespond({ identityKeyPair: bob.identityKeyPair, handshake: withoutPreKey, stores: bob.stores });
    expect(bytesToHex(responder.sharedKey)).not.toBe(bytesToHex(initiator.sharedKey));
  });

  it("reproduces the frozen SK of a fixed-randomness handshake", async () => {
    const { initiator } = await handshake("pqxdh-known-answer", true);
    expect(bytesToHex(initiator.sharedKey)).toBe("1b94090c4acac2077acfa787e1c4b3a9c2e9085b8506d82871c8f2ed8783fb16");
  });

  it("derives SK as HKDF(32×0xFF ‖ DH1 ‖ DH2 ‖ DH3 ‖ DH4 ‖ SS, 32 zero bytes, the Hearth PQXDH label)", () => {
    const dh = [1, 2, 3, 4].map((fill) => new Uint8Array(32).fill(fill));
    const ss = new Uint8Array(32).fill(5);
    const expected = hkdf(
      sha256,
      concatBytes(new Uint8Array(32).fill(0xff), ...dh, ss),
      new Uint8Array(32),
      utf8ToBytes("Hearth_PQXDH_X25519_SHA-256_ML-KEM-768"),
      32,
    );
    expect(bytesToHex(derivePqxdhSecret(dh, ss))).toBe(bytesToHex(expected));
    expect(bytesToHex(expected)).toBe("cd3d5b22d70a383f2d9c761f4b0dfc69f4bb6df6b633c2bd85412454bc815606");
  });

  it("refuses a bundle whose signatures fail before doing any DH", async () => {
    const random = createDeterministicRandom("pqxdh-bad-signature");
    const bob = await createTestDevice({ userId: "bob", random });
    const bundle = await bob.bundle();
    const signature = bundle.kyberPreKey.signature.slice();
    signature[0]! ^= 0x80;
    expect(() =>
      pqxdhInitiate({
        identityKeyPair: IdentityKeyPair.generate(random),
        bundle: { ...bundle, kyberPreKey: { ...bundle.kyberPreKey, signature } },
        random,
      }),
    ).toThrow(expect.objectContaining({ code: "InvalidSignature" }));
  });

  it("refuses a validly signed low-order prekey (an all-zero DH output)", async () => {
    const random = createDeterministicRandom("pqxdh-low-order");
    const bob = await createTestDevice({ userId: "bob", random });
    const bundle = await bob.bundle();
    const lowOrder = X25519PublicKey.fromBytes(new Uint8Array(32));
    const signature = bob.identityKeyPair.sign(SIGNED_PRE_KEY_LABEL, new ByteWriter().u32(9).finish(), lowOrder.serialize());
    expect(() =>
      pqxdhInitiate({
        identityKeyPair: IdentityKeyPair.generate(random),
        bundle: { ...bundle, signedPreKey: { id: 9, publicKey: lowOrder, signature } },
        random,
      }),
    ).toThrow(expect.objectContaining({ code: "InvalidKey" }));
  });

  it("refuses a handshake naming prekeys the responder does not have", async () => {
    const { initiator, bob } = await handshake("pqxdh-missing", true);
    for (const handshakeFields of [
      { ...initiator.handshake, signedPreKeyId: 99 },
      { ...initiator.handshake, preKeyId: 99 },
      { ...initiator.handshake, kyberPreKeyId: 99 },
    ]) {
      await expect(pqxdhRespond({ identityKeyPair: bob.identityKeyPair, handshake: handshakeFields, stores: bob.stores })).rejects.toMatchObject({
        code: "InvalidKeyId",
      });
    }
  });
});

describe("PreKeyMessage", () => {
  it("round-trips, with and without a one-time prekey id", async () => {
    for (const withOneTimePreKey of [true, false]) {
      const { initiator } = await handshake(`prekey-message-${withOneTimePreKey}`, withOneTimePreKey);
      const message = { ...initiator.handshake, message: Uint8Array.of(9, 9, 9) };
      const bytes = serializePreKeyMessage(message);
      expect(bytes.length).toBe(1 + 33 + 33 + 4 + 1 + (withOneTimePreKey ? 4 : 0) + 4 + 1088 + 3);
      const parsed = deserializePreKeyMessage(bytes);
      expect(parsed.identityKey.equals(message.identityKey)).toBe(true);
      expect(parsed.baseKey.equals(message.baseKey)).toBe(true);
      expect(parsed.preKeyId).toBe(message.preKeyId);
      expect(parsed.kyberCiphertext).toEqual(message.kyberCiphertext);
      expect(parsed.message).toEqual(message.message);
    }
  });

  it("refuses wrong lengths and newer versions", async () => {
    const { initiator } = await handshake("prekey-message-bad", true);
    const bytes = serializePreKeyMessage({ ...initiator.handshake, message: new Uint8Array(0) });
    expect(() => deserializePreKeyMessage(bytes.subarray(0, 200))).toThrow(expect.objectContaining({ code: "InvalidMessage" }));
    expect(() => deserializePreKeyMessage(Uint8Array.of(2, ...bytes.subarray(1)))).toThrow(expect.objectContaining({ code: "UnsupportedVersion" }));
  });
});
