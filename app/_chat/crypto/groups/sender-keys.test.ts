import { createHmac, hkdfSync } from "node:crypto";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { beforeAll, describe, expect, it } from "vitest";
import { isCryptoError, type CryptoErrorCode } from "../errors";
import { loadCryptoCore, sodium } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { OwnSenderKey } from "./own-sender-key";
import { MAX_SENDER_KEY_CHAINS, MAX_SENDER_KEY_FORWARD_JUMP, MAX_SKIPPED_SENDER_KEYS, ReceivedSenderKeys } from "./received-sender-keys";
import { senderKeyMessageGroupId } from "./sender-key-message";

beforeAll(loadCryptoCore);

const GROUP = "0b9d6f3e-2f1a-4c1e-9b55-6a1f0c2d3e4f";
const OTHER_GROUP = "7c1e5a20-93d4-4b8e-a6f1-2d3c4b5a6978";
const random = createDeterministicRandom("sender-keys");
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function codeOf(run: () => unknown): CryptoErrorCode | "no error" {
  try {
    run();
  } catch (error) {
    if (isCryptoError(error)) return error.code;
    throw error;
  }
  return "no error";
}

/** The error code `run` fails with, checking that it left `record` byte-for-byte as it was. */
function refusal(record: ReceivedSenderKeys, run: () => unknown): CryptoErrorCode | "no error" {
  const before = record.serialize();
  const code = codeOf(run);
  expect(record.serialize()).toEqual(before);
  return code;
}

function member(sender: OwnSenderKey): ReceivedSenderKeys {
  const keys = ReceivedSenderKeys.empty(sender.groupId);
  keys.process(sender.distributionMessage());
  return keys;
}

function messages(sender: OwnSenderKey, count: number, prefix = "message"): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => sender.encrypt(utf8ToBytes(`${prefix} ${i}`)));
}

describe("sender keys", () => {
  it("delivers one chain's messages in order to every member", () => {
    const alice = OwnSenderKey.create(GROUP.toUpperCase(), random);
    expect(alice.groupId).toBe(GROUP);
    expect(alice.distributionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const bob = member(alice);
    const carol = member(alice);
    for (const [i, message] of messages(alice, 3).entries()) {
      expect(decode(bob.decrypt(message))).toBe(`message ${i}`);
      expect(decode(carol.decrypt(message))).toBe(`message ${i}`);
    }
    expect(alice.iteration).toBe(3);
  });

  it("matches the documented format: KDF_CK, HKDF to key and nonce, the header as AD, a labelled signature", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const distribution = alice.distributionMessage();
    expect(distribution.length).toBe(101);
    const chainKey = distribution.subarray(37, 69);
    const signingKey = distribution.subarray(69);
    const plaintext = utf8ToBytes("hello group");
    const message = alice.encrypt(plaintext);
    expect(message.length).toBe(plaintext.length + 121);

    const header = message.subarray(0, 37);
    expect(header[0]).toBe(1);
    expect([...header.subarray(33, 37)]).toEqual([0, 0, 0, 0]);
    const signed = message.subarray(0, message.length - 64);
    const label = utf8ToBytes("Hearth_SenderKey_Signature_v1\0");
    expect(sodium().crypto_sign_verify_detached(message.subarray(message.length - 64), concatBytes(label, signed), signingKey)).toBe(true);

    const seed = createHmac("sha256", chainKey).update(Uint8Array.of(1)).digest();
    const okm = new Uint8Array(hkdfSync("sha256", seed, new Uint8Array(32), utf8ToBytes("Hearth_SenderKey_Message_v1"), 56));
    const ciphertext = message.subarray(41, message.length - 64);
    expect(new DataView(message.buffer, message.byteOffset).getUint32(37)).toBe(ciphertext.length);
    const opened = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, header, okm.subarray(32), okm.subarray(0, 32));
    expect(decode(opened)).toBe("hello group");

    // The next distribution carries the chain key after one KDF_CK step, at iteration 1.
    const next = alice.distributionMessage();
    expect([...next.subarray(33, 37)]).toEqual([0, 0, 0, 1]);
    expect(Buffer.from(next.subarray(37, 69)).toString("hex")).toBe(createHmac("sha256", chainKey).update(Uint8Array.of(2)).digest("hex"));
  });

  it("delivers out of order (1, 3, 2), and uses each skipped key once", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const bob = member(alice);
    const [first, second, third] = messages(alice, 3);
    expect(decode(bob.decrypt(first!))).toBe("message 0");
    expect(decode(bob.decrypt(third!))).toBe("message 2");
    expect(decode(bob.decrypt(second!))).toBe("message 1");
    expect(refusal(bob, () => bob.decrypt(second!))).toBe("DuplicatedMessage");
  });

  it("refuses a replayed message and stays as it was", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const bob = member(alice);
    const [message] = messages(alice, 1);
    bob.decrypt(message!);
    expect(refusal(bob, () => bob.decrypt(message!))).toBe("DuplicatedMessage");
    const [later] = messages(alice, 1, "later");
    expect(decode(bob.decrypt(later!))).toBe("later 0");
  });

  it(`skips at most ${MAX_SENDER_KEY_FORWARD_JUMP} messages at once, and keeps at most ${MAX_SKIPPED_SENDER_KEYS} skipped keys a chain`, () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const bob = member(alice);
    const sent = messages(alice, 2010);
    expect(refusal(bob, () => bob.decrypt(sent[2001]!))).toBe("TooManySkippedMessages");
    expect(decode(bob.decrypt(sent[2000]!))).toBe("message 2000");
    expect(decode(bob.decrypt(sent[1999]!))).toBe("message 1999");
    expect(decode(bob.decrypt(sent[2001]!))).toBe("message 2001");
    // 1,999 keys are kept (0 to 1998); skipping 2002 to 2004 adds three, so the two oldest go.
    expect(decode(bob.decrypt(sent[2005]!))).toBe("message 2005");
    for (const dropped of [0, 1]) expect(refusal(bob, () => bob.decrypt(sent[dropped]!))).toBe("DuplicatedMessage");
    for (const kept of [2, 1998, 2002, 2004]) expect(decode(bob.decrypt(sent[kept]!))).toBe(`message ${kept}`);
  });

  it("refuses an altered message, and one written by another member who holds the chain key", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const distribution = alice.distributionMessage();
    const carol = member(alice);
    const [message] = messages(alice, 1);
    for (const index of [0, 5, 20, 36, 40, 60, message!.length - 64, message!.length - 1]) {
      const altered = message!.slice();
      altered[index]! ^= 1;
      // Bytes 17 to 32 are the distribution id: an altered one names a chain Carol does not have.
      const expected = index >= 17 && index < 33 ? "NoSenderKey" : "InvalidMessage";
      expect([index, refusal(carol, () => carol.decrypt(altered))]).toEqual([index, expected]);
    }
    expect(refusal(carol, () => carol.decrypt(message!.subarray(0, message!.length - 1)))).toBe("InvalidMessage");

    // Bob, a member, has the chain key from the distribution; his own signing key is all he lacks.
    const bobForgery = OwnSenderKey.deserialize(concatBytes(distribution.subarray(0, 69), random(32)));
    expect(bobForgery.distributionId).toBe(alice.distributionId);
    const trustingBob = member(bobForgery);
    const forged = bobForgery.encrypt(utf8ToBytes("from alice, honestly"));
    expect(refusal(carol, () => carol.decrypt(forged))).toBe("InvalidMessage");
    // Only the signature stops it: with Bob's signing key the same bytes would read.
    expect(decode(trustingBob.decrypt(forged))).toBe("from alice, honestly");
    expect(decode(carol.decrypt(message!))).toBe("message 0");
  });

  it("refuses a distribution or a message for another group, and a distribution that does not parse", () => {
    const alice = OwnSenderKey.create(OTHER_GROUP, random);
    const bob = ReceivedSenderKeys.empty(GROUP);
    expect(refusal(bob, () => bob.process(alice.distributionMessage()))).toBe("InvalidMessage");
    const distribution = alice.distributionMessage();
    for (const garbage of [distribution.subarray(0, 100), concatBytes(distribution, Uint8Array.of(0)), random(101)]) {
      expect(refusal(bob, () => bob.process(garbage))).toMatch(/InvalidMessage|UnsupportedVersion/);
    }
    const badSigningKey = distribution.slice();
    badSigningKey.fill(0, 69);
    expect(codeOf(() => ReceivedSenderKeys.empty(OTHER_GROUP).process(badSigningKey))).toBe("InvalidMessage");

    // Not NoSenderKey: the group is checked first.
    expect(refusal(bob, () => bob.decrypt(alice.encrypt(utf8ToBytes("other group"))))).toBe("InvalidMessage");
  });

  it("does not let a stale distribution rewind a chain", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const first = alice.distributionMessage();
    const bob = member(alice);
    const carol = member(alice);
    const sent = messages(alice, 4);
    for (const message of sent.slice(0, 3)) bob.decrypt(message);
    expect(refusal(bob, () => bob.process(first))).toBe("no error");
    expect(codeOf(() => bob.decrypt(sent[1]!))).toBe("DuplicatedMessage");

    // The sender re-sends its chain at its current position: Carol's chain moves on to it, and
    // keeps the key she skipped (for message 0).
    expect(decode(carol.decrypt(sent[1]!))).toBe("message 1");
    carol.process(alice.distributionMessage());
    expect(decode(carol.decrypt(sent[0]!))).toBe("message 0");
    expect(decode(carol.decrypt(messages(alice, 1, "after")[0]!))).toBe("after 0");
    expect(refusal(carol, () => carol.process(first))).toBe("no error");
  });

  it("locks a removed member out of the next chain: only the members given its distribution read it", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const [bob, carol, dave] = [member(alice), member(alice), member(alice)];
    const [before] = messages(alice, 1, "before");
    for (const keys of [bob, carol, dave]) expect(decode(keys.decrypt(before!))).toBe("before 0");

    // Dave is removed: Alice starts a new chain and gives it to Bob and Carol only.
    const rotated = OwnSenderKey.create(GROUP, random);
    expect(rotated.distributionId).not.toBe(alice.distributionId);
    bob.process(rotated.distributionMessage());
    carol.process(rotated.distributionMessage());
    const [after] = messages(rotated, 1, "after");
    expect(decode(bob.decrypt(after!))).toBe("after 0");
    expect(decode(carol.decrypt(after!))).toBe("after 0");
    expect(refusal(dave, () => dave.decrypt(after!))).toBe("NoSenderKey");
  });

  it(`keeps the chains of the ${MAX_SENDER_KEY_CHAINS} newest distributions`, () => {
    const chains = Array.from({ length: MAX_SENDER_KEY_CHAINS + 1 }, () => OwnSenderKey.create(GROUP, random));
    const bob = ReceivedSenderKeys.empty(GROUP);
    for (const chain of chains) bob.process(chain.distributionMessage());
    expect(refusal(bob, () => bob.decrypt(chains[0]!.encrypt(utf8ToBytes("oldest"))))).toBe("NoSenderKey");
    for (const chain of chains.slice(1)) expect(decode(bob.decrypt(chain.encrypt(utf8ToBytes("kept"))))).toBe("kept");
  });

  it("continues mid-chain after both sides are stored and loaded", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const bob = member(alice);
    const sent = messages(alice, 5);
    bob.decrypt(sent[0]!);
    bob.decrypt(sent[3]!);

    const aliceLoaded = OwnSenderKey.deserialize(alice.serialize());
    const bobLoaded = ReceivedSenderKeys.deserialize(bob.serialize());
    expect(bobLoaded.serialize()).toEqual(bob.serialize());
    expect(aliceLoaded.serialize()).toEqual(alice.serialize());
    expect([aliceLoaded.groupId, aliceLoaded.distributionId, aliceLoaded.iteration]).toEqual([alice.groupId, alice.distributionId, 5]);
    expect(aliceLoaded.distributionMessage()).toEqual(alice.distributionMessage());
    expect(bobLoaded.groupId).toBe(GROUP);

    expect(decode(bobLoaded.decrypt(sent[2]!))).toBe("message 2");
    expect(codeOf(() => bobLoaded.decrypt(sent[3]!))).toBe("DuplicatedMessage");
    expect(decode(bobLoaded.decrypt(aliceLoaded.encrypt(utf8ToBytes("after loading"))))).toBe("after loading");
    // The loaded copy encrypts what the original would have: one chain, not two.
    const copy = OwnSenderKey.deserialize(alice.serialize());
    expect(copy.encrypt(utf8ToBytes("same"))).toEqual(alice.encrypt(utf8ToBytes("same")));
  });

  it("refuses stored states that do not parse or break a bound", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const own = alice.serialize();
    const received = member(alice).serialize();
    for (const bytes of [own.subarray(0, 100), concatBytes(own, Uint8Array.of(0)), new Uint8Array(0)]) {
      expect(codeOf(() => OwnSenderKey.deserialize(bytes))).toBe("InvalidSenderKeyRecord");
    }
    for (const bytes of [received.subarray(0, received.length - 1), concatBytes(received, Uint8Array.of(0)), random(40)]) {
      expect(codeOf(() => ReceivedSenderKeys.deserialize(bytes))).toMatch(/InvalidSenderKeyRecord|UnsupportedVersion/);
    }
    const newer = own.slice();
    newer[0] = 2;
    expect(codeOf(() => OwnSenderKey.deserialize(newer))).toBe("UnsupportedVersion");
    const tooManyChains = received.slice();
    tooManyChains[17] = MAX_SENDER_KEY_CHAINS + 1;
    expect(codeOf(() => ReceivedSenderKeys.deserialize(tooManyChains))).toBe("InvalidSenderKeyRecord");
  });

  it("reads the group id from a message's header alone", () => {
    const alice = OwnSenderKey.create(GROUP, random);
    const message = alice.encrypt(utf8ToBytes("hi"));
    expect(senderKeyMessageGroupId(message)).toBe(GROUP);
    expect(senderKeyMessageGroupId(message.subarray(0, 37))).toBe(GROUP);
    expect(codeOf(() => senderKeyMessageGroupId(message.subarray(0, 36)))).toBe("InvalidMessage");
    expect(codeOf(() => senderKeyMessageGroupId(concatBytes(Uint8Array.of(0), message.subarray(1))))).toBe("InvalidMessage");
  });
});
