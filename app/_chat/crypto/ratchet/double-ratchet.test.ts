import { sha256 } from "@noble/hashes/sha2.js";
import { beforeAll, describe, expect, it } from "vitest";
import { aeadEncrypt } from "../aead";
import { bytesEqual, concatBytes, fromHex, toHex, utf8 } from "../bytes";
import { CryptoError } from "../errors";
import { kdfChainKey } from "../kdf";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { createSessionPair } from "../testing/session-pair";
import { ratchetDecrypt, ratchetEncrypt } from "./double-ratchet";
import { RATCHET_HEADER_BYTES, RATCHET_MESSAGE_VERSION, writeRatchetHeader } from "./ratchet-message";
import { MAX_PREVIOUS_CHAINS, MAX_SKIP, MAX_SKIPPED_KEYS, SessionState } from "./session-state";

beforeAll(loadCryptoCore);

const text = (value: string) => utf8(value);
const decoded = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}

/** Alice sends one message and Bob reads it, so both sides can send. */
async function startedPair(seed: string) {
  const pair = await createSessionPair(seed);
  const first = ratchetEncrypt(pair.alice, text("hello"), pair.aliceRandom);
  expect(decoded(ratchetDecrypt(pair.bob, first, pair.bobRandom))).toBe("hello");
  return pair;
}

describe("Double Ratchet", () => {
  it("exchanges messages in order both ways across many DH ratchet steps", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("in-order");
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) {
        const fromBob = ratchetEncrypt(bob, text(`b${round}.${i}`), bobRandom);
        expect(decoded(ratchetDecrypt(alice, fromBob, aliceRandom))).toBe(`b${round}.${i}`);
      }
      const fromAlice = ratchetEncrypt(alice, text(`a${round}`), aliceRandom);
      expect(decoded(ratchetDecrypt(bob, fromAlice, bobRandom))).toBe(`a${round}`);
    }
    expect(alice.skipped.size + bob.skipped.size).toBe(0);
  });

  it("decrypts out of order, within a chain and across DH ratchet steps", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("out-of-order");
    const firstChain = [0, 1, 2, 3].map((i) => ratchetEncrypt(alice, text(`a${i}`), aliceRandom));
    expect(decoded(ratchetDecrypt(bob, firstChain[2]!, bobRandom))).toBe("a2");
    const reply = ratchetEncrypt(bob, text("reply"), bobRandom);
    expect(decoded(ratchetDecrypt(alice, reply, aliceRandom))).toBe("reply");
    const secondChain = [0, 1].map((i) => ratchetEncrypt(alice, text(`c${i}`), aliceRandom));
    expect(decoded(ratchetDecrypt(bob, secondChain[1]!, bobRandom))).toBe("c1");
    for (const [message, expected] of [
      [firstChain[0]!, "a0"],
      [secondChain[0]!, "c0"],
      [firstChain[3]!, "a3"],
      [firstChain[1]!, "a1"],
    ] as const) {
      expect(decoded(ratchetDecrypt(bob, message, bobRandom))).toBe(expected);
    }
    expect(bob.skipped.size).toBe(0);
  });

  it("skips up to MAX_SKIP message keys for one message, and refuses one more", async () => {
    const accepted = await startedPair("gap-ok");
    const messages = Array.from({ length: MAX_SKIP + 1 }, (_, i) => ratchetEncrypt(accepted.alice, text(`m${i}`), accepted.aliceRandom));
    expect(decoded(ratchetDecrypt(accepted.bob, messages[MAX_SKIP]!, accepted.bobRandom))).toBe(`m${MAX_SKIP}`);
    expect(accepted.bob.skipped.size).toBe(MAX_SKIP);
    expect(decoded(ratchetDecrypt(accepted.bob, messages[0]!, accepted.bobRandom))).toBe("m0");

    const refused = await startedPair("gap-refused");
    const many = Array.from({ length: MAX_SKIP + 2 }, (_, i) => ratchetEncrypt(refused.alice, text(`m${i}`), refused.aliceRandom));
    const before = refused.bob.serialize();
    expect(codeOf(() => ratchetDecrypt(refused.bob, many[MAX_SKIP + 1]!, refused.bobRandom))).toBe("TooManySkippedMessages");
    expect(refused.bob.serialize()).toEqual(before);
    expect(decoded(ratchetDecrypt(refused.bob, many[0]!, refused.bobRandom))).toBe("m0");
  });

  it("refuses a new chain whose first message needs more than MAX_SKIP keys", async () => {
    const { alice, bob, aliceRandom } = await createSessionPair("gap-new-chain");
    const messages = Array.from({ length: MAX_SKIP + 2 }, (_, i) => ratchetEncrypt(alice, text(`m${i}`), aliceRandom));
    expect(codeOf(() => ratchetDecrypt(bob, messages[MAX_SKIP + 1]!, createDeterministicRandom("x")))).toBe("TooManySkippedMessages");
  });

  it("keeps at most MAX_SKIPPED_KEYS skipped keys per session, evicting the oldest", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("eviction");
    const oldest: Uint8Array[] = [];
    let newest: Uint8Array | undefined;
    for (let round = 0; round < 3; round++) {
      const chain = Array.from({ length: MAX_SKIP }, (_, i) => ratchetEncrypt(alice, text(`r${round}.${i}`), aliceRandom));
      if (round === 0) oldest.push(chain[0]!);
      if (round === 2) newest = chain[0];
      ratchetDecrypt(bob, chain[MAX_SKIP - 1]!, bobRandom);
      ratchetDecrypt(alice, ratchetEncrypt(bob, text("ack"), bobRandom), aliceRandom);
    }
    expect(bob.skipped.size).toBe(MAX_SKIPPED_KEYS);
    expect(codeOf(() => ratchetDecrypt(bob, oldest[0]!, bobRandom))).toBe("DuplicatedMessage");
    expect(decoded(ratchetDecrypt(bob, newest!, bobRandom))).toBe("r2.0");
  });

  it("refuses a replayed message, and the session goes on", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("replay");
    const m0 = ratchetEncrypt(alice, text("m0"), aliceRandom);
    const m1 = ratchetEncrypt(alice, text("m1"), aliceRandom);
    const m2 = ratchetEncrypt(alice, text("m2"), aliceRandom);
    ratchetDecrypt(bob, m0, bobRandom);
    expect(codeOf(() => ratchetDecrypt(bob, m0, bobRandom))).toBe("DuplicatedMessage");
    ratchetDecrypt(bob, m2, bobRandom);
    expect(codeOf(() => ratchetDecrypt(bob, m2, bobRandom))).toBe("DuplicatedMessage");
    expect(decoded(ratchetDecrypt(bob, m1, bobRandom))).toBe("m1");
    expect(codeOf(() => ratchetDecrypt(bob, m1, bobRandom))).toBe("DuplicatedMessage");
    ratchetDecrypt(alice, ratchetEncrypt(bob, text("turn"), bobRandom), aliceRandom);
    const next = ratchetEncrypt(alice, text("next chain"), aliceRandom);
    expect(decoded(ratchetDecrypt(bob, next, bobRandom))).toBe("next chain");
    expect(codeOf(() => ratchetDecrypt(bob, m0, bobRandom))).toBe("DuplicatedMessage");
    expect(decoded(ratchetDecrypt(alice, ratchetEncrypt(bob, text("still works"), bobRandom), aliceRandom))).toBe("still works");
  });

  it("refuses a replay into a forgotten old chain too, as InvalidMessage, without changing the state", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("old-replay");
    const old = ratchetEncrypt(alice, text("old"), aliceRandom);
    ratchetDecrypt(bob, old, bobRandom);
    for (let i = 0; i <= MAX_PREVIOUS_CHAINS; i++) {
      ratchetDecrypt(alice, ratchetEncrypt(bob, text("b"), bobRandom), aliceRandom);
      ratchetDecrypt(bob, ratchetEncrypt(alice, text("a"), aliceRandom), bobRandom);
    }
    const before = bob.serialize();
    expect(codeOf(() => ratchetDecrypt(bob, old, bobRandom))).toBe("InvalidMessage");
    expect(bob.serialize()).toEqual(before);
  });

  it("refuses every altered byte region without changing the state, and the session goes on", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("tamper");
    ratchetDecrypt(alice, ratchetEncrypt(bob, text("turn"), bobRandom), aliceRandom);
    const message = ratchetEncrypt(alice, text("genuine"), aliceRandom);
    const regions: Record<string, number> = {
      "ratchet key": 10,
      PN: 37,
      N: 41,
      nonce: RATCHET_HEADER_BYTES + 3,
      ciphertext: RATCHET_HEADER_BYTES + 24 + 2,
      tag: message.length - 1,
    };
    const before = bob.serialize();
    for (const [region, index] of Object.entries(regions)) {
      const altered = message.slice();
      altered[index]! ^= 0x01;
      expect([region, codeOf(() => ratchetDecrypt(bob, altered, bobRandom))]).toEqual([region, "InvalidMessage"]);
      expect(bytesEqual(bob.serialize(), before)).toBe(true);
    }
    expect(codeOf(() => ratchetDecrypt(bob, message.subarray(0, 60), bobRandom))).toBe("InvalidMessage");
    const newer = message.slice();
    newer[0] = RATCHET_MESSAGE_VERSION + 1;
    expect(codeOf(() => ratchetDecrypt(bob, newer, bobRandom))).toBe("UnsupportedVersion");
    expect(decoded(ratchetDecrypt(bob, message, bobRandom))).toBe("genuine");
  });

  it("binds the session's AD: the same bytes do not open in another session", async () => {
    const one = await startedPair("ad-one");
    const two = await startedPair("ad-two");
    const message = ratchetEncrypt(one.alice, text("for one"), one.aliceRandom);
    expect(codeOf(() => ratchetDecrypt(two.bob, message, two.bobRandom))).toBe("InvalidMessage");
  });

  it("recovers from compromise: once the victim's DH ratchet steps use fresh keys, a stolen copy reads nothing new", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("post-compromise");
    const stolen = SessionState.deserialize(bob.serialize());
    const attackerRandom = createDeterministicRandom("attacker");

    const x1 = ratchetEncrypt(alice, text("x1"), aliceRandom);
    expect(decoded(ratchetDecrypt(stolen, x1, attackerRandom))).toBe("x1");
    ratchetDecrypt(bob, x1, bobRandom);
    ratchetDecrypt(alice, ratchetEncrypt(bob, text("y1"), bobRandom), aliceRandom);
    const x2 = ratchetEncrypt(alice, text("x2"), aliceRandom);
    expect(decoded(ratchetDecrypt(stolen, x2, attackerRandom))).toBe("x2");
    ratchetDecrypt(bob, x2, bobRandom);

    ratchetDecrypt(alice, ratchetEncrypt(bob, text("y2 under a fresh ratchet key"), bobRandom), aliceRandom);
    const x3 = ratchetEncrypt(alice, text("x3"), aliceRandom);
    expect(codeOf(() => ratchetDecrypt(stolen, x3, attackerRandom))).toBe("InvalidMessage");
    expect(decoded(ratchetDecrypt(bob, x3, bobRandom))).toBe("x3");
  });

  it("keeps forward secrecy: read messages' keys and the chain keys that made them are gone", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("forward-secrecy");
    const messages = [0, 1, 2].map((i) => ratchetEncrypt(alice, text(`m${i}`), aliceRandom));
    const snapshot = SessionState.deserialize(bob.serialize());
    const chainKey = snapshot.receivingChain!.key;
    const messageKeys: Uint8Array[] = [];
    let key = chainKey;
    for (let i = 0; i < 3; i++) {
      const step = kdfChainKey(key);
      messageKeys.push(step.messageKey);
      key = step.nextChainKey;
    }
    ratchetDecrypt(bob, messages[2]!, bobRandom);
    ratchetDecrypt(bob, messages[0]!, bobRandom);
    ratchetDecrypt(bob, messages[1]!, bobRandom);
    const state = toHex(bob.serialize());
    for (const secret of [chainKey, ...messageKeys]) expect(state.includes(toHex(secret))).toBe(false);
    for (const message of messages) expect(codeOf(() => ratchetDecrypt(bob, message, bobRandom))).toBe("DuplicatedMessage");
  });

  it("survives serialization at any point of a conversation", async () => {
    const pair = await startedPair("serialize");
    const { aliceRandom, bobRandom } = pair;
    let { alice, bob } = pair;
    const pending = ratchetEncrypt(alice, text("in flight"), aliceRandom);
    ratchetEncrypt(alice, text("lost"), aliceRandom);
    alice = SessionState.deserialize(alice.serialize());
    bob = SessionState.deserialize(bob.serialize());
    ratchetDecrypt(bob, ratchetEncrypt(alice, text("third"), aliceRandom), bobRandom);
    bob = SessionState.deserialize(bob.serialize());
    expect(bob.skipped.size).toBe(2);
    expect(decoded(ratchetDecrypt(bob, pending, bobRandom))).toBe("in flight");
    const reply = ratchetEncrypt(bob, text("reply"), bobRandom);
    expect(decoded(ratchetDecrypt(SessionState.deserialize(alice.serialize()), reply, aliceRandom))).toBe("reply");
  });

  it("does not let the responder send before the first message arrives", async () => {
    const { bob, bobRandom } = await createSessionPair("responder-first");
    expect(codeOf(() => ratchetEncrypt(bob, text("too early"), bobRandom))).toBe("NoSession");
  });

  it("keys each message's AEAD with its message key itself (version 2), and refuses version 1", async () => {
    const { alice, bob, bobRandom } = await createSessionPair("key-rule");
    const messageKey = kdfChainKey(alice.sendingChain!.key).messageKey;
    const nonces = createDeterministicRandom("key-rule/nonces");
    /** Alice's first message built by hand: XChaCha20-Poly1305(key = mk, nonce, AD ‖ header). */
    const handBuilt = (version: number, plaintext: string) => {
      const header = new Uint8Array(RATCHET_HEADER_BYTES);
      writeRatchetHeader(header, alice.sendingRatchetKey.publicKey.bytes, alice.previousCounter, alice.sendingChain!.index);
      header[0] = version;
      const nonce = nonces(24);
      return concatBytes(header, nonce, aeadEncrypt(messageKey, nonce, text(plaintext), alice.associatedDataWith(header)));
    };
    const before = bob.serialize();
    // Authentic under the current key rule, but labelled version 1: the version alone refuses it.
    expect(codeOf(() => ratchetDecrypt(bob, handBuilt(1, "old label"), bobRandom))).toBe("InvalidMessage");
    expect(bob.serialize()).toEqual(before);
    expect(decoded(ratchetDecrypt(bob, handBuilt(RATCHET_MESSAGE_VERSION, "mk is the key"), bobRandom))).toBe("mk is the key");
  });

  it("refuses a genuine version 1 message without changing the state", async () => {
    // The first message of the "known-answer" pair as the version 1 code produced it (AEAD key
    // derived from mk with HKDF; SHA-256 6e35f95f…, the former frozen vector): never opened now.
    const version1 = fromHex(
      "0105ebf91131fafa8926b73d227b70a8f7449120da53f02622550ee9443843530f16000000000000000071e775aacc8f8e" +
        "6a6591ed10ff983870905e6fe6ca3f370eee2d736e620bd79756610d823e3f888adb1e7e7f5eb160e67c67f8bb",
    );
    const { alice, bob, aliceRandom, bobRandom } = await createSessionPair("known-answer");
    const before = bob.serialize();
    expect(codeOf(() => ratchetDecrypt(bob, version1, bobRandom))).toBe("InvalidMessage");
    expect(bob.serialize()).toEqual(before);
    expect(decoded(ratchetDecrypt(bob, ratchetEncrypt(alice, text("known answer"), aliceRandom), bobRandom))).toBe("known answer");
  });

  it("produces the frozen first message with fixed randomness", async () => {
    // Pins the whole version 2 message path from a fixed-randomness PQXDH handshake: SK, KDF_RK,
    // KDF_CK, mk used directly as the XChaCha20-Poly1305 key, the header layout with version 2,
    // the nonce drawn from the pool, and AD = IK_A ‖ IK_B ‖ header.
    const { alice, aliceRandom } = await createSessionPair("known-answer");
    const message = ratchetEncrypt(alice, text("known answer"), aliceRandom);
    expect(message.length).toBe(RATCHET_HEADER_BYTES + 24 + 12 + 16);
    expect(message[0]).toBe(RATCHET_MESSAGE_VERSION);
    expect(toHex(sha256(message))).toBe("709ff0ba503e2ade5cd7093ddb3db6a357600a94b77aa9689ccaf6e809e280b5");
  });

  it("refuses malformed stored states", async () => {
    const { alice } = await createSessionPair("bad-state");
    const bytes = alice.serialize();
    expect(codeOf(() => SessionState.deserialize(bytes.subarray(0, bytes.length - 1)))).toBe("InvalidSessionRecord");
    expect(codeOf(() => SessionState.deserialize(Uint8Array.of(...bytes, 0)))).toBe("InvalidSessionRecord");
    expect(codeOf(() => SessionState.deserialize(Uint8Array.of(9, ...bytes.subarray(1))))).toBe("UnsupportedVersion");
  });
});
