// fake-indexeddb stands in for the browser's IndexedDB (the outside API, not code of ours).
import "fake-indexeddb/auto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createInMemoryProtocolStores,
  decryptMessage,
  encryptMessage,
  IdentityKeyPair,
  KyberPreKeyRecord,
  loadCryptoCore,
  PreKeyRecord,
  processPreKeyBundle,
  SignedPreKeyRecord,
  systemRandom,
  type ProtocolAddress,
} from "../crypto";
import { deleteChatStorage, openChatStorage, type AtomicWrites, type ChatStorage } from "./index";
import { describeProtocolStoreCases, publishPreKeys } from "./protocol-store-cases";

beforeAll(loadCryptoCore);

const random = systemRandom;
const opened: ChatStorage[] = [];
let nextUser = 0;

async function openNew(identityKeyPair: IdentityKeyPair): Promise<{ storage: ChatStorage; userId: string; storageSecret: Uint8Array }> {
  const userId = `protocol-user-${nextUser++}`;
  const storageSecret = random(32);
  const storage = await openChatStorage({ userId, storageSecret, identityKeyPair });
  opened.push(storage);
  return { storage, userId, storageSecret };
}

afterAll(() => {
  for (const storage of opened) storage.close();
});

describeProtocolStoreCases("in-memory stores", async (identityKeyPair) => createInMemoryProtocolStores(identityKeyPair));
describeProtocolStoreCases("IndexedDB stores", async (identityKeyPair) => (await openNew(identityKeyPair)).storage.protocol);
// The same cases with every write held in an atomic section's buffer, never committed: reads must see the held writes.
describeProtocolStoreCases("IndexedDB stores through held writes", async (identityKeyPair) => {
  const { storage } = await openNew(identityKeyPair);
  let held: AtomicWrites | undefined;
  await storage.atomically(async (writes) => void (held = writes));
  return held!.protocol;
});

describe("IndexedDB protocol stores", () => {
  const now = Date.UTC(2026, 0, 1);

  it("list the ids of stored prekeys, ascending, so the engine can top up and prune", async () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const { protocol } = (await openNew(identityKeyPair)).storage;
    expect(await protocol.preKeys.listPreKeyIds()).toEqual([]);
    for (const id of [12, 3, 40]) await protocol.preKeys.savePreKey(PreKeyRecord.generate({ id, random }));
    await protocol.preKeys.removePreKey(40);
    for (const id of [2, 1]) await protocol.signedPreKeys.saveSignedPreKey(SignedPreKeyRecord.generate({ id, identityKeyPair, now, random }));
    await protocol.kyberPreKeys.saveKyberPreKey(KyberPreKeyRecord.generate({ id: 100, kind: "oneTime", identityKeyPair, now, random }));
    await protocol.kyberPreKeys.saveKyberPreKey(KyberPreKeyRecord.generate({ id: 1, kind: "lastResort", identityKeyPair, now, random }));
    expect(await protocol.preKeys.listPreKeyIds()).toEqual([3, 12]);
    expect(await protocol.signedPreKeys.listSignedPreKeyIds()).toEqual([1, 2]);
    expect(await protocol.kyberPreKeys.listKyberPreKeyIds()).toEqual([1, 100]);
  });

  it("remove a session", async () => {
    const alice = (await openNew(IdentityKeyPair.generate(random))).storage.protocol;
    const bob = createInMemoryProtocolStores(IdentityKeyPair.generate(random));
    const bobAddress: ProtocolAddress = { userId: "bob", deviceId: 4 };
    await processPreKeyBundle({ address: bobAddress, bundle: await publishPreKeys(bob), stores: alice, random });
    expect(await alice.sessions.loadSession(bobAddress)).not.toBeNull();
    await alice.sessions.removeSession(bobAddress);
    expect(await alice.sessions.loadSession(bobAddress)).toBeNull();
  });

  it("keep sessions, identities, prekeys and last-resort uses across close and reopen", async () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const { storage, userId, storageSecret } = await openNew(identityKeyPair);
    const bob = createInMemoryProtocolStores(IdentityKeyPair.generate(random));
    const aliceAddress: ProtocolAddress = { userId: "alice", deviceId: 1 };
    const bobAddress: ProtocolAddress = { userId: "bob", deviceId: 1 };
    await processPreKeyBundle({ address: bobAddress, bundle: await publishPreKeys(bob), stores: storage.protocol, random });
    const first = await encryptMessage({ address: bobAddress, plaintext: new Uint8Array([1]), stores: storage.protocol, random });
    await decryptMessage({ address: aliceAddress, message: first, stores: bob, random, now: Date.now() });
    const baseKey = new Uint8Array(32).fill(5);
    await storage.protocol.kyberPreKeys.saveKyberPreKey(KyberPreKeyRecord.generate({ id: 1, kind: "lastResort", identityKeyPair, now, random }));
    await storage.protocol.kyberPreKeys.markKyberPreKeyUsed(1, 1, baseKey);
    await storage.protocol.preKeys.savePreKey(PreKeyRecord.generate({ id: 8, random }));
    storage.close();

    const reopened = await openChatStorage({ userId, storageSecret });
    opened.push(reopened);
    const { protocol } = reopened;
    expect((await protocol.identity.getIdentityKeyPair()).serialize()).toEqual(identityKeyPair.serialize());
    expect((await protocol.identity.getIdentity(bobAddress))!.equals((await bob.identity.getIdentityKeyPair()).identityKey)).toBe(true);
    expect(await protocol.kyberPreKeys.hasUsedKyberPreKey(1, baseKey)).toBe(true);
    expect(await protocol.preKeys.listPreKeyIds()).toEqual([8]);
    const reply = await encryptMessage({ address: aliceAddress, plaintext: new Uint8Array([2]), stores: bob, random });
    expect(await decryptMessage({ address: bobAddress, message: reply, stores: protocol, random, now: Date.now() })).toEqual(new Uint8Array([2]));
    const next = await encryptMessage({ address: bobAddress, plaintext: new Uint8Array([3]), stores: protocol, random });
    expect(next.type).toBe("message");
    expect(await decryptMessage({ address: aliceAddress, message: next, stores: bob, random, now: Date.now() })).toEqual(new Uint8Array([3]));
    reopened.close();
    await deleteChatStorage(userId);
  });
});

describe("atomic writes", () => {
  const aliceAddress: ProtocolAddress = { userId: "alice", deviceId: 1 };
  const bobAddress: ProtocolAddress = { userId: "bob", deviceId: 1 };
  const utf8 = (text: string) => new TextEncoder().encode(text);

  /** Alice (in memory) writes to Bob (IndexedDB): her first message, which sets up the session from his prekeys. */
  async function firstMessage() {
    const { storage: bob, userId, storageSecret } = await openNew(IdentityKeyPair.generate(random));
    const alice = createInMemoryProtocolStores(IdentityKeyPair.generate(random));
    await processPreKeyBundle({ address: bobAddress, bundle: await publishPreKeys(bob.protocol), stores: alice, random });
    const message = await encryptMessage({ address: bobAddress, plaintext: utf8("first"), stores: alice, random });
    return { bob, alice, message, userId, storageSecret };
  }

  it("drop every write of a decryption interrupted before it was journaled, so the message still opens when it comes again", async () => {
    const { bob, message } = await firstMessage();
    const interrupted = bob.atomically(async (writes) => {
      await decryptMessage({ address: aliceAddress, message, stores: writes.protocol, random, now: Date.now() });
      await writes.setValue("inbox", ["first"]);
      throw new Error("the tab closed");
    });
    await expect(interrupted).rejects.toThrow("the tab closed");
    expect(await bob.getValue("inbox")).toBeUndefined();
    expect(await bob.protocol.sessions.loadSession(aliceAddress)).toBeNull();
    // Before, the ratchet step had landed on its own and this came back as a duplicate: the message was lost.
    expect(await decryptMessage({ address: aliceAddress, message, stores: bob.protocol, random, now: Date.now() })).toEqual(utf8("first"));
  });

  it("land the ratchet step and the journal together, across a restart, and a repeat is refused", async () => {
    const { bob, alice, message, userId, storageSecret } = await firstMessage();
    await bob.atomically(async (writes) => {
      const plaintext = await decryptMessage({ address: aliceAddress, message, stores: writes.protocol, random, now: Date.now() });
      await writes.setValue("inbox", [new TextDecoder().decode(plaintext)]);
      // Inside, the held session is already there; outside, not yet.
      expect(await writes.protocol.sessions.loadSession(aliceAddress)).not.toBeNull();
      expect(await bob.protocol.sessions.loadSession(aliceAddress)).toBeNull();
    });
    bob.close();
    const reopened = await openChatStorage({ userId, storageSecret });
    opened.push(reopened);
    expect(await reopened.getValue("inbox")).toEqual(["first"]);
    await expect(decryptMessage({ address: aliceAddress, message, stores: reopened.protocol, random, now: Date.now() })).rejects.toThrow();
    const second = await encryptMessage({ address: bobAddress, plaintext: utf8("second"), stores: alice, random });
    expect(await decryptMessage({ address: aliceAddress, message: second, stores: reopened.protocol, random, now: Date.now() })).toEqual(utf8("second"));
  });
});
