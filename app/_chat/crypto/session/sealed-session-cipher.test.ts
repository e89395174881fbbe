import { beforeAll, describe, expect, it } from "vitest";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { CryptoError } from "../errors";
import type { IdentityKey } from "../keys/identity-key";
import type { ProtocolAddress } from "../protocol-address";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { createTestDevice } from "../testing/test-device";
import { OwnSenderKey } from "../groups/own-sender-key";
import { ReceivedSenderKeys } from "../groups/received-sender-keys";
import { PADDING_BUCKETS } from "../sealed-sender/padding";
import { decryptSealedMessage, openSealedMessage, sealedDecrypt, sealedEncrypt, sealSenderKeyMessage } from "./sealed-session-cipher";
import { processPreKeyBundle } from "./session-cipher";

beforeAll(loadCryptoCore);

const now = Date.UTC(2026, 5, 1);
/** For tests about the session layer underneath: every sender is accepted. */
const acceptAll = () => true;

/** A caller's rule: only these devices, with these identity keys (as a signed device list says). */
function listed(devices: { address: ProtocolAddress; identityKey: IdentityKey }[]) {
  return (sender: ProtocolAddress, identityKey: IdentityKey) =>
    devices.some((d) => d.address.userId === sender.userId && d.address.deviceId === sender.deviceId && d.identityKey.equals(identityKey));
}

describe("sealed session cipher", () => {
  it("delivers through sealed envelopes both ways, sender learned from inside", async () => {
    const alice = await createTestDevice({ userId: "alice", random: createDeterministicRandom("sealed/alice") });
    const bob = await createTestDevice({ userId: "bob", random: createDeterministicRandom("sealed/bob") });
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });

    const envelope = await sealedEncrypt({
      address: bob.address,
      sender: alice.address,
      plaintext: utf8ToBytes("sealed hi"),
      stores: alice.stores,
      random: alice.random,
      now,
    });
    const opened = await sealedDecrypt({ envelope, stores: bob.stores, random: bob.random, now, acceptSender: acceptAll });
    expect(opened.sender).toEqual(alice.address);
    expect(opened.senderIdentityKey.equals(alice.identityKeyPair.identityKey)).toBe(true);
    expect(opened.timestamp).toBe(now);
    expect(new TextDecoder().decode(opened.plaintext)).toBe("sealed hi");

    const reply = await sealedEncrypt({
      address: alice.address,
      sender: bob.address,
      plaintext: utf8ToBytes("sealed reply"),
      stores: bob.stores,
      random: bob.random,
      now,
    });
    expect(
      new TextDecoder().decode((await sealedDecrypt({ envelope: reply, stores: alice.stores, random: alice.random, now, acceptSender: acceptAll })).plaintext),
    ).toBe("sealed reply");
    await expect(sealedDecrypt({ envelope, stores: bob.stores, random: bob.random, now, acceptSender: acceptAll })).rejects.toMatchObject({
      code: "DuplicatedMessage",
    });
  });

  it("refuses an envelope whose signer is not the identity trusted for the claimed sender", async () => {
    const alice = await createTestDevice({ userId: "alice", random: createDeterministicRandom("claim/alice") });
    const bob = await createTestDevice({ userId: "bob", random: createDeterministicRandom("claim/bob") });
    const mallory = await createTestDevice({ userId: "mallory", random: createDeterministicRandom("claim/mallory") });
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });
    const fromAlice = await sealedEncrypt({
      address: bob.address,
      sender: alice.address,
      plaintext: utf8ToBytes("real"),
      stores: alice.stores,
      random: alice.random,
      now,
    });
    await sealedDecrypt({ envelope: fromAlice, stores: bob.stores, random: bob.random, now, acceptSender: acceptAll });

    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: mallory.stores, random: mallory.random });
    const impostor = await sealedEncrypt({
      address: bob.address,
      sender: alice.address,
      plaintext: utf8ToBytes("I am alice"),
      stores: mallory.stores,
      random: mallory.random,
      now,
    });
    let error: unknown;
    try {
      await sealedDecrypt({ envelope: impostor, stores: bob.stores, random: bob.random, now, acceptSender: acceptAll });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe("UntrustedIdentity");
  });

  it("stores nothing for a forged first message whose claimed sender the caller does not accept", async () => {
    const alice = await createTestDevice({ userId: "alice", random: createDeterministicRandom("forged/alice") });
    const bob = await createTestDevice({ userId: "bob", random: createDeterministicRandom("forged/bob") });
    const mallory = await createTestDevice({ userId: "mallory", random: createDeterministicRandom("forged/mallory") });
    const aliceListed = listed([{ address: alice.address, identityKey: alice.identityKeyPair.identityKey }]);
    // Mallory has only Bob's public bundle, and claims to be Alice's device.
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: mallory.stores, random: mallory.random });
    const forged = await sealedEncrypt({
      address: bob.address,
      sender: alice.address,
      plaintext: utf8ToBytes("I am alice"),
      stores: mallory.stores,
      random: mallory.random,
      now,
    });

    await expect(sealedDecrypt({ envelope: forged, stores: bob.stores, random: bob.random, now, acceptSender: aliceListed })).rejects.toMatchObject({
      code: "UntrustedIdentity",
    });
    expect(bob.stores.sessions.raw(alice.address)).toBeUndefined();
    expect(await bob.stores.identity.getIdentity(alice.address)).toBeNull();
    expect(bob.stores.preKeys.count).toBe(3);
    expect(bob.stores.kyberPreKeys.has(100)).toBe(true);

    // The real Alice still gets through, on the keys the forgery did not use up.
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });
    const real = await sealedEncrypt({
      address: bob.address,
      sender: alice.address,
      plaintext: utf8ToBytes("really alice"),
      stores: alice.stores,
      random: alice.random,
      now,
    });
    expect(
      new TextDecoder().decode((await sealedDecrypt({ envelope: real, stores: bob.stores, random: bob.random, now, acceptSender: aliceListed })).plaintext),
    ).toBe("really alice");
  });

  it("stores nothing for a forged first message from a device id the claimed person does not have", async () => {
    const alice = await createTestDevice({ userId: "alice", random: createDeterministicRandom("unlisted/alice") });
    const bob = await createTestDevice({ userId: "bob", random: createDeterministicRandom("unlisted/bob") });
    const mallory = await createTestDevice({ userId: "mallory", random: createDeterministicRandom("unlisted/mallory") });
    const aliceListed = listed([{ address: alice.address, identityKey: alice.identityKeyPair.identityKey }]);
    const unlisted = { userId: alice.address.userId, deviceId: 2 };
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: mallory.stores, random: mallory.random });
    const forged = await sealedEncrypt({
      address: bob.address,
      sender: unlisted,
      plaintext: utf8ToBytes("alice's new phone"),
      stores: mallory.stores,
      random: mallory.random,
      now,
    });

    await expect(sealedDecrypt({ envelope: forged, stores: bob.stores, random: bob.random, now, acceptSender: aliceListed })).rejects.toMatchObject({
      code: "UntrustedIdentity",
    });
    expect(bob.stores.sessions.raw(unlisted)).toBeUndefined();
    expect(await bob.stores.identity.getIdentity(unlisted)).toBeNull();
  });

  it("seals a group's sender-key message for one device: it opens as type senderkey, and only the group's keys decrypt it", async () => {
    const group = "0b9d6f3e-2f1a-4c1e-9b55-6a1f0c2d3e4f";
    const alice = await createTestDevice({ userId: "alice", random: createDeterministicRandom("senderkey/alice") });
    const bob = await createTestDevice({ userId: "bob", random: createDeterministicRandom("senderkey/bob") });
    const carol = await createTestDevice({ userId: "carol", random: createDeterministicRandom("senderkey/carol") });
    const aliceKey = OwnSenderKey.create(group, alice.random);
    const bobKeys = ReceivedSenderKeys.empty(group);
    bobKeys.process(aliceKey.distributionMessage());
    const message = aliceKey.encrypt(utf8ToBytes("hello group"));

    const envelope = await sealSenderKeyMessage({
      recipientIdentityKey: bob.identityKeyPair.identityKey,
      sender: alice.address,
      message,
      stores: alice.stores,
      random: alice.random,
      now,
    });
    const opened = await openSealedMessage({ envelope, stores: bob.stores });
    expect(opened.message.type).toBe("senderkey");
    expect(opened.message.body).toEqual(message);
    expect(opened.sender).toEqual(alice.address);
    expect(opened.senderIdentityKey.equals(alice.identityKeyPair.identityKey)).toBe(true);
    expect(opened.timestamp).toBe(now);
    expect(new TextDecoder().decode(bobKeys.decrypt(opened.message.body))).toBe("hello group");

    // Not a session's message: refused before the sender is even asked about, and nothing stored.
    let asked = false;
    const acceptSender = () => (asked = true);
    await expect(decryptSealedMessage({ opened, stores: bob.stores, random: bob.random, now, acceptSender })).rejects.toMatchObject({ code: "InvalidMessage" });
    await expect(sealedDecrypt({ envelope, stores: bob.stores, random: bob.random, now, acceptSender })).rejects.toMatchObject({ code: "InvalidMessage" });
    expect(asked).toBe(false);
    expect(bob.stores.sessions.raw(alice.address)).toBeUndefined();

    await expect(openSealedMessage({ envelope, stores: carol.stores })).rejects.toMatchObject({ code: "InvalidEnvelope" });
  });

  it("keeps the longest text in a sender-key message within the 64 KiB bucket", async () => {
    const alice = await createTestDevice({ userId: "alice", random: createDeterministicRandom("senderkey-size/alice") });
    const bob = await createTestDevice({ userId: "bob", random: createDeterministicRandom("senderkey-size/bob") });
    const aliceKey = OwnSenderKey.create("0b9d6f3e-2f1a-4c1e-9b55-6a1f0c2d3e4f", alice.random);
    // 4,000 UTF-16 code units (the composer's limit) at their longest in a JSON document: control
    // characters, each written as \u00XX (6 bytes).
    const content = utf8ToBytes(
      JSON.stringify({
        t: "text",
        group: "0b9d6f3e-2f1a-4c1e-9b55-6a1f0c2d3e4f",
        id: "7c1e5a20-93d4-4b8e-a6f1-2d3c4b5a6978",
        body: "\u0001".repeat(4000),
        sentAt: now,
      }),
    );
    expect(content.length).toBeGreaterThan(24_000);
    const envelope = await sealSenderKeyMessage({
      recipientIdentityKey: bob.identityKeyPair.identityKey,
      sender: { userId: "0f0e0d0c-0b0a-4908-8706-050403020100", deviceId: 12 },
      message: aliceKey.encrypt(content),
      stores: alice.stores,
      random: alice.random,
      now,
    });
    expect(envelope.length - 34 - 16).toBe(PADDING_BUCKETS[4]);
    expect(PADDING_BUCKETS[4]).toBe(64 * 1024);
  });
});
