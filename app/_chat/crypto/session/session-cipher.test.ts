import { beforeAll, describe, expect, it } from "vitest";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { CryptoError } from "../errors";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { createTestDevice, LAST_RESORT_KYBER_ID, type TestDevice } from "../testing/test-device";
import type { CiphertextMessage } from "./ciphertext-message";
import { decryptMessage, encryptMessage, processPreKeyBundle } from "./session-cipher";
import { SessionRecord } from "./session-record";

beforeAll(loadCryptoCore);

const decoded = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function device(userId: string, seed: string): Promise<TestDevice> {
  return createTestDevice({ userId, random: createDeterministicRandom(`${seed}/${userId}`) });
}

function send(from: TestDevice, to: TestDevice, text: string): Promise<CiphertextMessage> {
  return encryptMessage({ address: to.address, plaintext: utf8ToBytes(text), stores: from.stores, random: from.random });
}

async function receive(by: TestDevice, from: TestDevice, message: CiphertextMessage): Promise<string> {
  return decoded(await decryptMessage({ address: from.address, message, stores: by.stores, random: by.random, now: Date.now() }));
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}

describe("session cipher", () => {
  it("starts with prekey messages until the first reply, then sends plain ratchet messages", async () => {
    const alice = await device("alice", "flow");
    const bob = await device("bob", "flow");
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });
    const first = await send(alice, bob, "one");
    const second = await send(alice, bob, "two");
    expect([first.type, second.type]).toEqual(["prekey", "prekey"]);
    expect(bob.stores.preKeys.count).toBe(3);

    expect(await receive(bob, alice, second)).toBe("two");
    expect(bob.stores.preKeys.count).toBe(2);
    expect(bob.stores.kyberPreKeys.has(100)).toBe(false);
    expect(await receive(bob, alice, first)).toBe("one");

    const reply = await send(bob, alice, "reply");
    expect(reply.type).toBe("message");
    expect(await receive(alice, bob, reply)).toBe("reply");
    const third = await send(alice, bob, "three");
    expect(third.type).toBe("message");
    expect(await receive(bob, alice, third)).toBe("three");
    expect(await codeOf(receive(bob, alice, first))).toBe("DuplicatedMessage");
  });

  it("works without one-time prekeys, and a replayed last-resort handshake is refused even after the session is gone", async () => {
    const alice = await device("alice", "last-resort");
    const bob = await device("bob", "last-resort");
    const bundle = await bob.bundle({ oneTimePreKey: false, oneTimeKyberPreKey: false });
    expect(bundle.preKey).toBeUndefined();
    expect(bundle.kyberPreKey.id).toBe(LAST_RESORT_KYBER_ID);
    await processPreKeyBundle({ address: bob.address, bundle, stores: alice.stores, random: alice.random });
    const first = await send(alice, bob, "hello");
    expect(await receive(bob, alice, first)).toBe("hello");
    expect(bob.stores.kyberPreKeys.has(LAST_RESORT_KYBER_ID)).toBe(true);
    expect(await codeOf(receive(bob, alice, first))).toBe("DuplicatedMessage");

    await bob.stores.sessions.storeSession(alice.address, new SessionRecord());
    expect(await codeOf(receive(bob, alice, first))).toBe("DuplicatedMessage");
  });

  it("keeps the one-time prekey when a forged first message fails, and stores nothing", async () => {
    const alice = await device("alice", "forged");
    const bob = await device("bob", "forged");
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });
    const genuine = await send(alice, bob, "genuine");
    const forged = genuine.body.slice();
    forged[forged.length - 1]! ^= 1;
    expect(await codeOf(receive(bob, alice, { type: "prekey", body: forged }))).toBe("InvalidMessage");
    expect(bob.stores.preKeys.count).toBe(3);
    expect(bob.stores.sessions.raw(alice.address)).toBeUndefined();
    expect(await bob.stores.identity.getIdentity(alice.address)).toBeNull();
    expect(await receive(bob, alice, genuine)).toBe("genuine");
  });

  it("refuses a prekey message naming a prekey that was already used", async () => {
    const alice = await device("alice", "used-prekey");
    const bob = await device("bob", "used-prekey");
    const bundle = await bob.bundle();
    await processPreKeyBundle({ address: bob.address, bundle, stores: alice.stores, random: alice.random });
    expect(await receive(bob, alice, await send(alice, bob, "first"))).toBe("first");
    const carol = await device("carol", "used-prekey");
    await processPreKeyBundle({ address: bob.address, bundle, stores: carol.stores, random: carol.random });
    expect(await codeOf(receive(bob, carol, await send(carol, bob, "same bundle")))).toBe("InvalidKeyId");
  });

  it("refuses a changed identity until it is explicitly trusted", async () => {
    const alice = await device("alice", "identity");
    const bob = await device("bob", "identity");
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });
    expect(await receive(bob, alice, await send(alice, bob, "hi"))).toBe("hi");

    const reinstalled = await createTestDevice({ userId: "bob", random: createDeterministicRandom("identity/bob-again") });
    const newBundle = await reinstalled.bundle();
    expect(await codeOf(processPreKeyBundle({ address: bob.address, bundle: newBundle, stores: alice.stores, random: alice.random }))).toBe(
      "UntrustedIdentity",
    );
    expect(await codeOf(send(alice, bob, "still to the old key"))).toBeUndefined();
    expect(await alice.stores.identity.saveIdentity(bob.address, newBundle.identityKey)).toBe(true);
    expect(await codeOf(send(alice, bob, "old session, new trusted key"))).toBe("UntrustedIdentity");
    await processPreKeyBundle({ address: bob.address, bundle: newBundle, stores: alice.stores, random: alice.random });
    expect(await receive(reinstalled, alice, await send(alice, reinstalled, "welcome back"))).toBe("welcome back");
  });

  it("converges when both sides start a session at the same time", async () => {
    const alice = await device("alice", "simultaneous");
    const bob = await device("bob", "simultaneous");
    await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: alice.random });
    await processPreKeyBundle({ address: alice.address, bundle: await alice.bundle(), stores: bob.stores, random: bob.random });
    const fromAlice = await send(alice, bob, "from alice");
    const fromBob = await send(bob, alice, "from bob");
    expect(await receive(bob, alice, fromAlice)).toBe("from alice");
    expect(await receive(alice, bob, fromBob)).toBe("from bob");
    for (let i = 0; i < 3; i++) {
      expect(await receive(bob, alice, await send(alice, bob, `a${i}`))).toBe(`a${i}`);
      expect(await receive(alice, bob, await send(bob, alice, `b${i}`))).toBe(`b${i}`);
    }
    const aliceRecord = await alice.stores.sessions.loadSession(bob.address);
    const bobRecord = await bob.stores.sessions.loadSession(alice.address);
    expect(aliceRecord!.current!.baseKey).toEqual(bobRecord!.current!.baseKey);
  });

  it("says NoSession when there is none", async () => {
    const alice = await device("alice", "no-session");
    const bob = await device("bob", "no-session");
    expect(await codeOf(send(alice, bob, "x"))).toBe("NoSession");
    const stray = { type: "message" as const, body: new Uint8Array(100) };
    expect(await codeOf(receive(alice, bob, stray))).toBe("NoSession");
  });
});
