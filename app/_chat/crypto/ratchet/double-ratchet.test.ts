import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { beforeAll, describe, expect, it } from "vitest";
import { aeadEncrypt } from "../aead";
import { bytesEqual } from "../bytes";
import { CryptoError } from "../errors";
import { kdfChainKey } from "../kdf";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { createSessionPair } from "../testing/session-pair";
import { ratchetDecrypt, ratchetEncrypt } from "./double-ratchet";
import { RATCHET_HEADER_BYTES, RATCHET_MESSAGE_VERSION, writeRatchetHeader } from "./ratchet-message";
import { MAX_PREVIOUS_CHAINS, MAX_SKIP, MAX_SKIPPED_KEYS, SessionState, SKIPPED_KEY_MAX_AGE_MS, SKIPPED_KEY_MAX_STEPS } from "./session-state";

beforeAll(loadCryptoCore);

const text = (value: string) => utf8ToBytes(value);
/** The clock of every decryption here unless a test moves it. */
const NOW = Date.UTC(2027, 0, 1);
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
  expect(decoded(ratchetDecrypt(pair.bob, first, pair.bobRandom, NOW))).toBe("hello");
  return pair;
}

describe("Double Ratchet", () => {
  it("exchanges messages in order both ways across many DH ratchet steps", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("in-order");
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) {
        const fromBob = ratchetEncrypt(bob, text(`b${round}.${i}`), bobRandom);
        expect(decoded(ratchetDecrypt(alice, fromBob, aliceRandom, NOW))).toBe(`b${round}.${i}`);
      }
      const fromAlice = ratchetEncrypt(alice, text(`a${round}`), aliceRandom);
      expect(decoded(ratchetDecrypt(bob, fromAlice, bobRandom, NOW))).toBe(`a${round}`);
    }
    expect(alice.skipped.size + bob.skipped.size).toBe(0);
  });

  it("decrypts out of order, within a chain and across DH ratchet steps", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("out-of-order");
    const firstChain = [0, 1, 2, 3].map((i) => ratchetEncrypt(alice, text(`a${i}`), aliceRandom));
    expect(decoded(ratchetDecrypt(bob, firstChain[2]!, bobRandom, NOW))).toBe("a2");
    const reply = ratchetEncrypt(bob, text("reply"), bobRandom);
    expect(decoded(ratchetDecrypt(alice, reply, aliceRandom, NOW))).toBe("reply");
    const secondChain = [0, 1].map((i) => ratchetEncrypt(alice, text(`c${i}`), aliceRandom));
    expect(decoded(ratchetDecrypt(bob, secondChain[1]!, bobRandom, NOW))).toBe("c1");
    for (const [message, expected] of [
      [firstChain[0]!, "a0"],
      [secondChain[0]!, "c0"],
      [firstChain[3]!, "a3"],
      [firstChain[1]!, "a1"],
    ] as const) {
      expect(decoded(ratchetDecrypt(bob, message, bobRandom, NOW))).toBe(expected);
    }
    expect(bob.skipped.size).toBe(0);
  });

  it("skips up to MAX_SKIP message keys for one message, and refuses one more", async () => {
    const accepted = await startedPair("gap-ok");
    const messages = Array.from({ length: MAX_SKIP + 1 }, (_, i) => ratchetEncrypt(accepted.alice, text(`m${i}`), accepted.aliceRandom));
    expect(decoded(ratchetDecrypt(accepted.bob, messages[MAX_SKIP]!, accepted.bobRandom, NOW))).toBe(`m${MAX_SKIP}`);
    expect(accepted.bob.skipped.size).toBe(MAX_SKIP);
    expect(decoded(ratchetDecrypt(accepted.bob, messages[0]!, accepted.bobRandom, NOW))).toBe("m0");

    const refused = await startedPair("gap-refused");
    const many = Array.from({ length: MAX_SKIP + 2 }, (_, i) => ratchetEncrypt(refused.alice, text(`m${i}`), refused.aliceRandom));
    const before = refused.bob.serialize();
    expect(codeOf(() => ratchetDecrypt(refused.bob, many[MAX_SKIP + 1]!, refused.bobRandom, NOW))).toBe("TooManySkippedMessages");
    expect(refused.bob.serialize()).toEqual(before);
    expect(decoded(ratchetDecrypt(refused.bob, many[0]!, refused.bobRandom, NOW))).toBe("m0");
  });

  it("refuses a new chain whose first message needs more than MAX_SKIP keys", async () => {
    const { alice, bob, aliceRandom } = await createSessionPair("gap-new-chain");
    const messages = Array.from({ length: MAX_SKIP + 2 }, (_, i) => ratchetEncrypt(alice, text(`m${i}`), aliceRandom));
    expect(codeOf(() => ratchetDecrypt(bob, messages[MAX_SKIP + 1]!, createDeterministicRandom("x"), NOW))).toBe("TooManySkippedMessages");
  });

  it("keeps at most MAX_SKIPPED_KEYS skipped keys per session, evicting the oldest", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("eviction");
    const oldest: Uint8Array[] = [];
    let newest: Uint8Array | undefined;
    for (let round = 0; round < 3; round++) {
      const chain = Array.from({ length: MAX_SKIP }, (_, i) => ratchetEncrypt(alice, text(`r${round}.${i}`), aliceRandom));
      if (round === 0) oldest.push(chain[0]!);
      if (round === 2) newest = chain[0];
      ratchetDecrypt(bob, chain[MAX_SKIP - 1]!, bobRandom, NOW);
      ratchetDecrypt(alice, ratchetEncrypt(bob, text("ack"), bobRandom), aliceRandom, NOW);
    }
    expect(bob.skipped.size).toBe(MAX_SKIPPED_KEYS);
    expect(codeOf(() => ratchetDecrypt(bob, oldest[0]!, bobRandom, NOW))).toBe("DuplicatedMessage");
    expect(decoded(ratchetDecrypt(bob, newest!, bobRandom, NOW))).toBe("r2.0");
  });

  it("refuses a replayed message, and the session goes on", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("replay");
    const m0 = ratchetEncrypt(alice, text("m0"), aliceRandom);
    const m1 = ratchetEncrypt(alice, text("m1"), aliceRandom);
    const m2 = ratchetEncrypt(alice, text("m2"), aliceRandom);
    ratchetDecrypt(bob, m0, bobRandom, NOW);
    expect(codeOf(() => ratchetDecrypt(bob, m0, bobRandom, NOW))).toBe("DuplicatedMessage");
    ratchetDecrypt(bob, m2, bobRandom, NOW);
    expect(codeOf(() => ratchetDecrypt(bob, m2, bobRandom, NOW))).toBe("DuplicatedMessage");
    expect(decoded(ratchetDecrypt(bob, m1, bobRandom, NOW))).toBe("m1");
    expect(codeOf(() => ratchetDecrypt(bob, m1, bobRandom, NOW))).toBe("DuplicatedMessage");
    ratchetDecrypt(alice, ratchetEncrypt(bob, text("turn"), bobRandom), aliceRandom, NOW);
    const next = ratchetEncrypt(alice, text("next chain"), aliceRandom);
    expect(decoded(ratchetDecrypt(bob, next, bobRandom, NOW))).toBe("next chain");
    expect(codeOf(() => ratchetDecrypt(bob, m0, bobRandom, NOW))).toBe("DuplicatedMessage");
    expect(decoded(ratchetDecrypt(alice, ratchetEncrypt(bob, text("still works"), bobRandom), aliceRandom, NOW))).toBe("still works");
  });

  it("refuses a replay into a forgotten old chain too, as InvalidMessage, without changing the state", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("old-replay");
    const old = ratchetEncrypt(alice, text("old"), aliceRandom);
    ratchetDecrypt(bob, old, bobRandom, NOW);
    for (let i = 0; i <= MAX_PREVIOUS_CHAINS; i++) {
      ratchetDecrypt(alice, ratchetEncrypt(bob, text("b"), bobRandom), aliceRandom, NOW);
      ratchetDecrypt(bob, ratchetEncrypt(alice, text("a"), aliceRandom), bobRandom, NOW);
    }
    const before = bob.serialize();
    expect(codeOf(() => ratchetDecrypt(bob, old, bobRandom, NOW))).toBe("InvalidMessage");
    expect(bob.serialize()).toEqual(before);
  });

  it("refuses every altered byte region without changing the state, and the session goes on", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("tamper");
    ratchetDecrypt(alice, ratchetEncrypt(bob, text("turn"), bobRandom), aliceRandom, NOW);
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
      expect([region, codeOf(() => ratchetDecrypt(bob, altered, bobRandom, NOW))]).toEqual([region, "InvalidMessage"]);
      expect(bytesEqual(bob.serialize(), before)).toBe(true);
    }
    expect(codeOf(() => ratchetDecrypt(bob, message.subarray(0, 60), bobRandom, NOW))).toBe("InvalidMessage");
    const newer = message.slice();
    newer[0] = RATCHET_MESSAGE_VERSION + 1;
    expect(codeOf(() => ratchetDecrypt(bob, newer, bobRandom, NOW))).toBe("UnsupportedVersion");
    expect(decoded(ratchetDecrypt(bob, message, bobRandom, NOW))).toBe("genuine");
  });

  it("binds the session's AD: the same bytes do not open in another session", async () => {
    const one = await startedPair("ad-one");
    const two = await startedPair("ad-two");
    const message = ratchetEncrypt(one.alice, text("for one"), one.aliceRandom);
    expect(codeOf(() => ratchetDecrypt(two.bob, message, two.bobRandom, NOW))).toBe("InvalidMessage");
  });

  it("recovers from compromise: once the victim's DH ratchet steps use fresh keys, a stolen copy reads nothing new", async () => {
    const { alice, bob, aliceRandom, bobRandom } = await startedPair("post-compromise");
    const stolen = SessionState.deserialize(bob.serialize());
    const attackerRandom = createDeterministicRandom("attacker");

    const x1 = ratchetEncrypt(alice, text("x1"), aliceRandom);
    expect(decoded(ratchetDecrypt(stolen, x1, attackerRandom, NOW))).toBe("x1");
    ratchetDecrypt(bob, x1, bobRandom, NOW);
    ratchetDecrypt(alice, ratchetEncrypt(bob, text("y1"), bobRandom), aliceRandom, NOW);
    const x2 = ratchetEncrypt(alice, text("x2"), aliceRandom);
    expect(decoded(ratchetDecrypt(stolen, x2, attackerRandom, NOW))).toBe("x2");
    ratchetDecrypt(bob, x2, bobRandom, NOW);

    ratchetDecrypt(alice, ratchetEncrypt(bob, text("y2 under a fresh ratchet key"), bobRandom), aliceRandom, NOW);
    const x3 = ratchetEncrypt(alice, text("x3"), aliceRandom);
    expect(codeOf(() => ratchetDecrypt(stolen, x3, attackerRandom, NOW))).toBe("InvalidMessage");
    expect(decoded(ratchetDecrypt(bob, x3, bobRandom, NOW))).toBe("x3");
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
    ratchetDecrypt(bob, messages[2]!, bobRandom, NOW);
    ratchetDecrypt(bob, messages[0]!, bobRandom, NOW);
    ratchetDecrypt(bob, messages[1]!, bobRandom, NOW);
    const state = bytesToHex(bob.serialize());
    for (const secret of [chainKey, ...messageKeys]) expect(state.includes(bytesToHex(secret))).toBe(false);
    for (const message of messages) expect(codeOf(() => ratchetDecrypt(bob, message, bobRandom, NOW))).toBe("DuplicatedMessage");
  });

  it("survives serialization at any point of a conversation", async () => {
    const pair = await startedPair("serialize");
    const { aliceRandom, bobRandom } = pair;
    let { alice, bob } = pair;
    const pending = ratchetEncrypt(alice, text("in flight"), aliceRandom);
    ratchetEncrypt(alice, text("lost"), aliceRandom);
    alice = SessionState.deserialize(alice.serialize());
    bob = SessionState.deserialize(bob.serialize());
    ratchetDecrypt(bob, ratchetEncrypt(alice, text("third"), aliceRandom), bobRandom, NOW);
    bob = SessionState.deserialize(bob.serialize());
    expect(bob.skipped.size).toBe(2);
    expect(decoded(ratchetDecrypt(bob, pending, bobRandom, NOW))).toBe("in flight");
    const reply = ratchetEncrypt(bob, text("reply"), bobRandom);
    expect(decoded(ratchetDecrypt(SessionState.deserialize(alice.serialize()), reply, aliceRandom, NOW))).toBe("reply");
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
    expect(codeOf(() => ratchetDecrypt(bob, handBuilt(1, "old label"), bobRandom, NOW))).toBe("InvalidMessage");
    expect(bob.serialize()).toEqual(before);
    expect(decoded(ratchetDecrypt(bob, handBuilt(RATCHET_MESSAGE_VERSION, "mk is the key"), bobRandom, NOW))).toBe("mk is the key");
  });

  it("refuses a genuine version 1 message without changing the state", async () => {
    // The first message of the "known-answer" pair as the version 1 code produced it (AEAD key
    // derived from mk with HKDF; SHA-256 6e35f95f…, the former frozen vector): never opened now.
    const version1 = hexToBytes(
      "0105ebf91131fafa8926b73d227b70a8f7449120da53f02622550ee9443843530f16000000000000000071e775aacc8f8e" +
        "6a6591ed10ff983870905e6fe6ca3f370eee2d736e620bd79756610d823e3f888adb1e7e7f5eb160e67c67f8bb",
    );
    const { alice, bob, aliceRandom, bobRandom } = await createSessionPair("known-answer");
    const before = bob.serialize();
    expect(codeOf(() => ratchetDecrypt(bob, version1, bobRandom, NOW))).toBe("InvalidMessage");
    expect(bob.serialize()).toEqual(before);
    expect(decoded(ratchetDecrypt(bob, ratchetEncrypt(alice, text("known answer"), aliceRandom), bobRandom, NOW))).toBe("known answer");
  });

  it("produces the frozen first message with fixed randomness", async () => {
    // Pins the whole version 2 message path from a fixed-randomness PQXDH handshake: SK, KDF_RK,
    // KDF_CK, mk used directly as the XChaCha20-Poly1305 key, the header layout with version 2,
    // the nonce drawn from the pool, and AD = IK_A ‖ IK_B ‖ header.
    const { alice, aliceRandom } = await createSessionPair("known-answer");
    const message = ratchetEncrypt(alice, text("known answer"), aliceRandom);
    expect(message.length).toBe(RATCHET_HEADER_BYTES + 24 + 12 + 16);
    expect(message[0]).toBe(RATCHET_MESSAGE_VERSION);
    expect(bytesToHex(sha256(message))).toBe("709ff0ba503e2ade5cd7093ddb3db6a357600a94b77aa9689ccaf6e809e280b5");
  });

  it("refuses malformed stored states", async () => {
    const { alice } = await createSessionPair("bad-state");
    const bytes = alice.serialize();
    expect(codeOf(() => SessionState.deserialize(bytes.subarray(0, bytes.length - 1)))).toBe("InvalidSessionRecord");
    expect(codeOf(() => SessionState.deserialize(Uint8Array.of(...bytes, 0)))).toBe("InvalidSessionRecord");
    expect(codeOf(() => SessionState.deserialize(Uint8Array.of(9, ...bytes.subarray(1))))).toBe("UnsupportedVersion");
  });
});

describe("skipped message key expiry", () => {
  const DAY = 24 * 60 * 60 * 1000;

  /** Bob reads Alice's third message at NOW, skipping (and keeping the keys of) the first two. */
  async function skippedTwo(seed: string) {
    const pair = await startedPair(seed);
    const late = [ratchetEncrypt(pair.alice, text("late 0"), pair.aliceRandom), ratchetEncrypt(pair.alice, text("late 1"), pair.aliceRandom)];
    expect(decoded(ratchetDecrypt(pair.bob, ratchetEncrypt(pair.alice, text("on time"), pair.aliceRandom), pair.bobRandom, NOW))).toBe("on time");
    expect(pair.bob.skipped.size).toBe(2);
    return { ...pair, late };
  }

  /** Version 1 of the stored state: the same, without each skipped key's u64 time (Bob's state ends with its skipped keys). */
  function asVersion1(state: SessionState): Uint8Array {
    const bytes = state.serialize();
    const entries = [...state.skipped.entries()];
    const start = bytes.length - entries.length * (32 + 4 + 8 + 32);
    const u32 = (value: number) => Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
    const keys = entries.map((entry) => concatBytes(entry.ratchetKey, u32(entry.counter), entry.messageKey));
    return concatBytes(Uint8Array.of(1), bytes.subarray(1, start), ...keys);
  }

  it("drops a skipped key 30 days after it was skipped: its late message fails as DuplicatedMessage", async () => {
    const { alice, aliceRandom, bobRandom, late, ...rest } = await skippedTwo("expiry-age");
    let bob = rest.bob;
    const expiredAt = NOW + SKIPPED_KEY_MAX_AGE_MS + 1;
    // Unused but expired: refused, and the refusal changes nothing.
    const before = bob.serialize();
    expect(codeOf(() => ratchetDecrypt(bob, late[0]!, bobRandom, expiredAt))).toBe("DuplicatedMessage");
    expect(bob.serialize()).toEqual(before);
    // The time survives storage; the next message read deletes the expired keys.
    bob = SessionState.deserialize(bob.serialize());
    expect(decoded(ratchetDecrypt(bob, ratchetEncrypt(alice, text("a month on"), aliceRandom), bobRandom, expiredAt))).toBe("a month on");
    expect(bob.skipped.size).toBe(0);
    expect(codeOf(() => ratchetDecrypt(bob, late[1]!, bobRandom, expiredAt))).toBe("DuplicatedMessage");
  });

  it("still opens a late message within 30 days of its key being skipped", async () => {
    const { bob, bobRandom, late } = await skippedTwo("expiry-within");
    expect(decoded(ratchetDecrypt(bob, late[1]!, bobRandom, NOW + 29 * DAY))).toBe("late 1");
    expect(decoded(ratchetDecrypt(SessionState.deserialize(bob.serialize()), late[0]!, bobRandom, NOW + SKIPPED_KEY_MAX_AGE_MS))).toBe("late 0");
  });

  it(`drops a skipped key once its chain is more than ${SKIPPED_KEY_MAX_STEPS} DH ratchet steps old`, async () => {
    const { alice, bob, aliceRandom, bobRandom, late } = await skippedTwo("expiry-steps");
    const turn = () => {
      ratchetDecrypt(alice, ratchetEncrypt(bob, text("b"), bobRandom), aliceRandom, NOW);
      ratchetDecrypt(bob, ratchetEncrypt(alice, text("a"), aliceRandom), bobRandom, NOW);
    };
    for (let i = 0; i < SKIPPED_KEY_MAX_STEPS; i++) turn();
    expect(decoded(ratchetDecrypt(bob, late[0]!, bobRandom, NOW))).toBe("late 0");
    turn();
    expect(bob.skipped.size).toBe(0);
    expect(codeOf(() => ratchetDecrypt(bob, late[1]!, bobRandom, NOW))).toBe("DuplicatedMessage");
  });

  it("loads a version 1 state, whose skipped keys have no time, and counts their 30 days from the next message read", async () => {
    const { alice, bob, aliceRandom, bobRandom, late } = await skippedTwo("expiry-version-1");
    const version1 = asVersion1(bob);
    const loaded = SessionState.deserialize(version1);
    expect(loaded.serialize()[0]).toBe(2);
    expect(loaded.skipped.size).toBe(2);
    const later = NOW + 100 * DAY;
    expect(decoded(ratchetDecrypt(loaded, late[0]!, bobRandom, later))).toBe("late 0");
    const stamped = loaded.serialize();
    expect(decoded(ratchetDecrypt(SessionState.deserialize(stamped), late[1]!, bobRandom, later + 29 * DAY))).toBe("late 1");
    const expired = SessionState.deserialize(stamped);
    expect(codeOf(() => ratchetDecrypt(expired, late[1]!, bobRandom, later + SKIPPED_KEY_MAX_AGE_MS + 1))).toBe("DuplicatedMessage");
    // The rest of the session is untouched by the conversion.
    expect(decoded(ratchetDecrypt(SessionState.deserialize(version1), ratchetEncrypt(alice, text("go on"), aliceRandom), bobRandom, later))).toBe("go on");
  });
});
