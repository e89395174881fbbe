/**
 * This device's offline copy of the storage secret, so that the installed app opens with no
 * network. Invariants:
 * - It is kept only after the server's secret has opened the database (`keepOfflineUnlock` proves
 *   it on the check value first), sealed with AES-GCM under a key derived from the database's
 *   non-extractable base key alone, with additional data binding it to this user's database.
 * - Forgetting it (the person's choice, or log-out) deletes the one record: the database then
 *   needs the server's secret again, as before.
 * What this does and does not protect against is in docs/e2ee-protocol.md ("Opening offline").
 *
 * Sealed copy: version 0x01 ‖ IV 12 ‖ AES-GCM ciphertext of the 32-byte secret and 16-byte tag.
 */
import { connect, NoDatabase, unlock } from "./chat-storage";
import { ChatStorageError } from "./errors";
import { META_BASE_KEY, META_OFFLINE_UNLOCK, type ChatDb } from "./schema";
import { offlineUnlockKey, STORAGE_SECRET_BYTES } from "./storage-cipher";

const SEALED_VERSION = 1;
const IV_BYTES = 12;
const SEALED_BYTES = 1 + IV_BYTES + STORAGE_SECRET_BYTES + 16;

/**
 * Keeps `storageSecret` on this device for opening offline.
 * @throws {ChatStorageError} `wrong_secret` when the secret does not open the database; `not_found` when there is none.
 */
export async function keepOfflineUnlock(userId: string, storageSecret: Uint8Array): Promise<void> {
  await withDatabase(userId, async (db) => {
    await unlock(db, storageSecret);
    const key = await offlineUnlockKey(await baseKeyOf(db));
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(userId) }, key, new Uint8Array(storageSecret));
    const sealed = new Uint8Array(SEALED_BYTES);
    sealed[0] = SEALED_VERSION;
    sealed.set(iv, 1);
    sealed.set(new Uint8Array(ciphertext), 1 + IV_BYTES);
    await db.put("meta", sealed, META_OFFLINE_UNLOCK);
  }).catch((error: unknown) => {
    if (error instanceof NoDatabase) throw new ChatStorageError("not_found", "no chat storage for this user on this device");
    throw error;
  });
}

/** The kept storage secret, or null when this device keeps none (or what it keeps does not open). */
export async function readOfflineUnlock(userId: string): Promise<Uint8Array | null> {
  return withDatabase(userId, async (db) => {
    const sealed = await db.get("meta", META_OFFLINE_UNLOCK);
    if (!(sealed instanceof Uint8Array) || sealed.length !== SEALED_BYTES || sealed[0] !== SEALED_VERSION) return null;
    const key = await offlineUnlockKey(await baseKeyOf(db));
    try {
      const iv = sealed.slice(1, 1 + IV_BYTES);
      return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: additionalData(userId) }, key, sealed.slice(1 + IV_BYTES)));
    } catch {
      return null;
    }
  }).catch((error: unknown) => {
    if (error instanceof NoDatabase) return null;
    throw error;
  });
}

/** Deletes the kept storage secret, if any: this device opens the database again only with the server's. */
export async function forgetOfflineUnlock(userId: string): Promise<void> {
  await withDatabase(userId, (db) => db.delete("meta", META_OFFLINE_UNLOCK)).catch((error: unknown) => {
    if (!(error instanceof NoDatabase)) throw error;
  });
}

async function withDatabase<R>(userId: string, work: (db: ChatDb) => Promise<R>): Promise<R> {
  const { db } = await connect(userId, undefined, { closed: false });
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

async function baseKeyOf(db: ChatDb): Promise<CryptoKey> {
  const baseKey = await db.get("meta", META_BASE_KEY);
  if (!(baseKey instanceof CryptoKey)) throw new NoDatabase();
  return baseKey;
}

function additionalData(userId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${META_OFFLINE_UNLOCK}\0${userId}`);
}
