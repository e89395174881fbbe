// The device's offline copy of the storage secret, locked with the person's offline passphrase:
// whoever holds everything this browser wrote to disk (every record of the database and the base
// key's raw bytes, as Chromium stores them) but not the passphrase cannot open it; the right
// passphrase does, a wrong one changes nothing; turning it off and log-out delete it, and a copy of
// the first version (sealed under the base key alone) is deleted, never opened.
// fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { openDB } from "idb";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { deriveOfflinePassphraseKey, IdentityKeyPair, loadCryptoCore, OFFLINE_PASSPHRASE_KDF_MINIMUM, systemRandom } from "../crypto";
import {
  forgetEveryOfflineUnlock,
  forgetLegacyOfflineUnlock,
  forgetOfflineUnlock,
  hasOfflineUnlock,
  keepOfflineUnlock,
  openChatStorage,
  openOfflineUnlock,
} from "./index";
import { chatDatabaseName, META_OFFLINE_UNLOCK } from "./schema";

beforeAll(loadCryptoCore);
afterEach(() => vi.restoreAllMocks());

const PASSPHRASE = "quiet lantern over the ferry";
const kdfLimits = OFFLINE_PASSPHRASE_KDF_MINIMUM;
let nextUser = 0;

interface Person {
  userId: string;
  storageSecret: Uint8Array;
  /** The base key's bytes as the browser writes them to disk (captured when the database is made). */
  rawBaseKey: Uint8Array;
}

async function create(): Promise<Person> {
  const userId = `offline-user-${nextUser++}`;
  const storageSecret = systemRandom(32);
  // The attacker's view of the disk: Chromium keeps a non-extractable key's raw bytes in its
  // IndexedDB files, so the test takes them where the storage imports them.
  let rawBaseKey: Uint8Array | null = null;
  const importKey = crypto.subtle.importKey.bind(crypto.subtle);
  vi.spyOn(crypto.subtle, "importKey").mockImplementation(((
    format: KeyFormat,
    keyData: BufferSource,
    algorithm: AlgorithmIdentifier,
    ...rest: [boolean, KeyUsage[]]
  ) => {
    if (format === "raw" && algorithm === "HKDF") rawBaseKey = new Uint8Array(keyData as Uint8Array);
    return importKey(format as "raw", keyData, algorithm, ...rest);
  }) as typeof crypto.subtle.importKey);
  (await openChatStorage({ userId, storageSecret, identityKeyPair: IdentityKeyPair.generate(systemRandom) })).close();
  vi.restoreAllMocks();
  if (!rawBaseKey) throw new Error("the base key was not captured");
  return { userId, storageSecret, rawBaseKey };
}

/** Every record of the database's `meta` store, as a copy of the browser's files holds it. */
async function copyOfMeta(userId: string): Promise<Map<string, unknown>> {
  const db = await openDB(chatDatabaseName(userId));
  try {
    const keys = (await db.getAllKeys("meta")) as string[];
    return new Map(await Promise.all(keys.map(async (key) => [key, await db.get("meta", key)] as const)));
  } finally {
    db.close();
  }
}

/**
 * The attacker who holds the files: the raw base key, the sealed copy and the documented
 * construction (docs/e2ee-protocol.md, "Opening offline"), trying `passphrase`.
 */
async function attackerOpens(person: Person, sealed: Uint8Array, passphrase: string): Promise<Uint8Array | null> {
  const view = new DataView(sealed.buffer, sealed.byteOffset);
  const header = sealed.slice(0, 25);
  const limits = { opsLimit: view.getUint32(1), memLimit: view.getUint32(5) };
  const baseKey = await crypto.subtle.importKey("raw", new Uint8Array(person.rawBaseKey), "HKDF", false, ["deriveKey"]);
  const salt = new Uint8Array(passphrase === "" ? new Uint8Array(32) : await deriveOfflinePassphraseKey(passphrase, sealed.slice(9, 25), limits));
  const info = new TextEncoder().encode("Hearth_ChatStorage_v2_OfflineUnlock_Passphrase");
  const key = await crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt, info }, baseKey, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
  const label = new TextEncoder().encode(`${META_OFFLINE_UNLOCK}\0${person.userId}\0`);
  const additionalData = new Uint8Array([...label, ...header]);
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.slice(25, 37), additionalData }, key, sealed.slice(37)));
  } catch {
    return null;
  }
}

/** The first version's construction: HKDF of the base key alone. What a copy of the files used to open. */
async function openedAsVersionOne(person: Person, sealed: Uint8Array): Promise<boolean> {
  const baseKey = await crypto.subtle.importKey("raw", new Uint8Array(person.rawBaseKey), "HKDF", false, ["deriveKey"]);
  const info = new TextEncoder().encode("Hearth_ChatStorage_v1_OfflineUnlock");
  const hkdf = { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info };
  const key = await crypto.subtle.deriveKey(hkdf, baseKey, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
  const additionalData = new TextEncoder().encode(`${META_OFFLINE_UNLOCK}\0${person.userId}`);
  return crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.slice(1, 13), additionalData }, key, sealed.slice(13)).then(
    () => true,
    () => false,
  );
}

describe("the offline copy of the storage secret", () => {
  it("does not open from a copy of everything on disk, the base key's raw bytes included, without the passphrase", async () => {
    const person = await create();
    await keepOfflineUnlock({ userId: person.userId, storageSecret: person.storageSecret, passphrase: PASSPHRASE, kdfLimits });
    const disk = await copyOfMeta(person.userId);
    const sealed = disk.get(META_OFFLINE_UNLOCK) as Uint8Array;

    // Nowhere on disk in clear.
    for (const value of disk.values()) {
      if (value instanceof Uint8Array) expect(Buffer.from(value).includes(Buffer.from(person.storageSecret))).toBe(false);
    }
    // Not under the base key alone (the first version's construction), nor with guesses.
    expect(await openedAsVersionOne(person, sealed)).toBe(false);
    for (const guess of ["", "password", "quiet lantern over the ferry ", "Quiet lantern over the ferry"]) {
      expect(await attackerOpens(person, sealed, guess)).toBeNull();
    }
    // The same copy with the passphrase does: the passphrase is the one thing the files lack.
    expect(await attackerOpens(person, sealed, PASSPHRASE)).toEqual(person.storageSecret);
  });

  it("opens with the right passphrase, which opens the storage; a wrong one fails as such and changes nothing", async () => {
    const { userId, storageSecret } = await create();
    expect(await hasOfflineUnlock(userId)).toBe(false);
    await keepOfflineUnlock({ userId, storageSecret, passphrase: PASSPHRASE, kdfLimits });
    expect(await hasOfflineUnlock(userId)).toBe(true);
    const before = await copyOfMeta(userId);

    for (const wrong of ["quiet lantern over the ferry!", "", "correct horse battery staple"]) {
      await expect(openOfflineUnlock({ userId, passphrase: wrong })).rejects.toMatchObject({ name: "ChatStorageError", code: "wrong_passphrase" });
    }
    expect(await copyOfMeta(userId)).toEqual(before);

    const opened = await openOfflineUnlock({ userId, passphrase: PASSPHRASE });
    expect(opened).toEqual(storageSecret);
    (await openChatStorage({ userId, storageSecret: opened })).close();
    // The same words typed with another normalization (NFKC) open it too.
    const composed = "café au lait à minuit";
    await keepOfflineUnlock({ userId, storageSecret, passphrase: composed, kdfLimits });
    expect(await openOfflineUnlock({ userId, passphrase: composed.normalize("NFD") })).toEqual(storageSecret);
  });

  it("changes the passphrase by sealing a new copy: the old passphrase no longer opens it", async () => {
    const { userId, storageSecret } = await create();
    await keepOfflineUnlock({ userId, storageSecret, passphrase: PASSPHRASE, kdfLimits });
    await keepOfflineUnlock({ userId, storageSecret, passphrase: "a brand new offline phrase", kdfLimits });
    await expect(openOfflineUnlock({ userId, passphrase: PASSPHRASE })).rejects.toMatchObject({ code: "wrong_passphrase" });
    expect(await openOfflineUnlock({ userId, passphrase: "a brand new offline phrase" })).toEqual(storageSecret);
  });

  it("is deleted at once when turned off, and then nothing opens offline", async () => {
    const { userId, storageSecret } = await create();
    await keepOfflineUnlock({ userId, storageSecret, passphrase: PASSPHRASE, kdfLimits });
    await forgetOfflineUnlock(userId);
    expect(await hasOfflineUnlock(userId)).toBe(false);
    expect((await copyOfMeta(userId)).has(META_OFFLINE_UNLOCK)).toBe(false);
    await expect(openOfflineUnlock({ userId, passphrase: PASSPHRASE })).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps no secret that does not open the storage, and none for a storage that does not exist", async () => {
    const { userId } = await create();
    await expect(keepOfflineUnlock({ userId, storageSecret: systemRandom(32), passphrase: PASSPHRASE, kdfLimits })).rejects.toMatchObject({
      code: "wrong_secret",
    });
    expect(await hasOfflineUnlock(userId)).toBe(false);
    await expect(keepOfflineUnlock({ userId: "nobody-here", storageSecret: systemRandom(32), passphrase: PASSPHRASE, kdfLimits })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(openOfflineUnlock({ userId: "nobody-here", passphrase: PASSPHRASE })).rejects.toMatchObject({ code: "not_found" });
  });

  it("does not open a copy moved into another person's storage", async () => {
    const alice = await create();
    const bob = await create();
    await keepOfflineUnlock({ userId: alice.userId, storageSecret: alice.storageSecret, passphrase: PASSPHRASE, kdfLimits });
    const sealed = (await copyOfMeta(alice.userId)).get(META_OFFLINE_UNLOCK);
    const bobRaw = await openDB(chatDatabaseName(bob.userId));
    await bobRaw.put("meta", sealed, META_OFFLINE_UNLOCK);
    bobRaw.close();
    await expect(openOfflineUnlock({ userId: bob.userId, passphrase: PASSPHRASE })).rejects.toMatchObject({ code: "wrong_passphrase" });
  });

  it("deletes a copy of the first version (openable from the files alone) and never opens it", async () => {
    const person = await create();
    // What devices kept before: version 1, sealed under the base key alone.
    const baseKey = await crypto.subtle.importKey("raw", new Uint8Array(person.rawBaseKey), "HKDF", false, ["deriveKey"]);
    const hkdf = { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode("Hearth_ChatStorage_v1_OfflineUnlock") };
    const key = await crypto.subtle.deriveKey(hkdf, baseKey, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    const iv = new Uint8Array(systemRandom(12));
    const additionalData = new TextEncoder().encode(`${META_OFFLINE_UNLOCK}\0${person.userId}`);
    const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key, new Uint8Array(person.storageSecret)));
    const legacy = new Uint8Array([1, ...iv, ...ciphertext]);
    expect(await openedAsVersionOne(person, legacy)).toBe(true);
    const raw = await openDB(chatDatabaseName(person.userId));
    await raw.put("meta", legacy, META_OFFLINE_UNLOCK);
    raw.close();

    expect(await hasOfflineUnlock(person.userId)).toBe(false);
    await expect(openOfflineUnlock({ userId: person.userId, passphrase: PASSPHRASE })).rejects.toMatchObject({ code: "not_found" });
    expect(await forgetLegacyOfflineUnlock(person.userId)).toBe(true);
    expect((await copyOfMeta(person.userId)).has(META_OFFLINE_UNLOCK)).toBe(false);
    // A current copy is left alone.
    await keepOfflineUnlock({ userId: person.userId, storageSecret: person.storageSecret, passphrase: PASSPHRASE, kdfLimits });
    expect(await forgetLegacyOfflineUnlock(person.userId)).toBe(false);
    expect(await hasOfflineUnlock(person.userId)).toBe(true);
  });

  it("forgets every kept secret on this device at once (log-out)", async () => {
    const first = await create();
    const second = await create();
    await keepOfflineUnlock({ userId: first.userId, storageSecret: first.storageSecret, passphrase: PASSPHRASE, kdfLimits });
    await keepOfflineUnlock({ userId: second.userId, storageSecret: second.storageSecret, passphrase: PASSPHRASE, kdfLimits });
    await forgetEveryOfflineUnlock();
    expect(await hasOfflineUnlock(first.userId)).toBe(false);
    expect(await hasOfflineUnlock(second.userId)).toBe(false);
  });
});
