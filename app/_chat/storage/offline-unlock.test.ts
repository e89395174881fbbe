// The device's offline copy of the storage secret: kept only for a secret that opens the database,
// bound to its database, gone once forgotten. fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { openDB } from "idb";
import { beforeAll, describe, expect, it } from "vitest";
import { IdentityKeyPair, loadCryptoCore, systemRandom } from "../crypto";
import { forgetEveryOfflineUnlock, forgetOfflineUnlock, keepOfflineUnlock, openChatStorage, readOfflineUnlock } from "./index";
import { chatDatabaseName, META_OFFLINE_UNLOCK } from "./schema";

beforeAll(loadCryptoCore);

let nextUser = 0;

async function create(): Promise<{ userId: string; storageSecret: Uint8Array }> {
  const userId = `offline-user-${nextUser++}`;
  const storageSecret = systemRandom(32);
  (await openChatStorage({ userId, storageSecret, identityKeyPair: IdentityKeyPair.generate(systemRandom) })).close();
  return { userId, storageSecret };
}

describe("the offline copy of the storage secret", () => {
  it("gives back the kept secret, which opens the storage, until it is forgotten", async () => {
    const { userId, storageSecret } = await create();
    expect(await readOfflineUnlock(userId)).toBeNull();
    await keepOfflineUnlock(userId, storageSecret);
    const kept = await readOfflineUnlock(userId);
    expect(kept).toEqual(storageSecret);
    (await openChatStorage({ userId, storageSecret: kept! })).close();
    await forgetOfflineUnlock(userId);
    expect(await readOfflineUnlock(userId)).toBeNull();
  });

  it("keeps no secret that does not open the storage, and none for a storage that does not exist", async () => {
    const { userId } = await create();
    await expect(keepOfflineUnlock(userId, systemRandom(32))).rejects.toMatchObject({ code: "wrong_secret" });
    expect(await readOfflineUnlock(userId)).toBeNull();
    await expect(keepOfflineUnlock("nobody-here", systemRandom(32))).rejects.toMatchObject({ code: "not_found" });
    expect(await readOfflineUnlock("nobody-here")).toBeNull();
  });

  it("does not store the secret in clear, and a copy moved into another person's storage does not open", async () => {
    const alice = await create();
    const bob = await create();
    await keepOfflineUnlock(alice.userId, alice.storageSecret);
    const raw = await openDB(chatDatabaseName(alice.userId));
    const sealed = (await raw.get("meta", META_OFFLINE_UNLOCK)) as Uint8Array;
    raw.close();
    expect(Buffer.from(sealed).includes(Buffer.from(alice.storageSecret))).toBe(false);
    const bobRaw = await openDB(chatDatabaseName(bob.userId));
    await bobRaw.put("meta", sealed, META_OFFLINE_UNLOCK);
    bobRaw.close();
    expect(await readOfflineUnlock(bob.userId)).toBeNull();
  });

  it("forgets every kept secret on this device at once (log-out)", async () => {
    const [first, second] = await Promise.all([create(), create()]);
    await keepOfflineUnlock(first.userId, first.storageSecret);
    await keepOfflineUnlock(second.userId, second.storageSecret);
    await forgetEveryOfflineUnlock();
    expect(await readOfflineUnlock(first.userId)).toBeNull();
    expect(await readOfflineUnlock(second.userId)).toBeNull();
  });
});
