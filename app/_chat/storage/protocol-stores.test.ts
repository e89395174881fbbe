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
import { deleteChatStorage, openChatStorage, type ChatStorage } from "./index";
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
