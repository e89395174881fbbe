/**
 * This device's offline copy of the storage secret, so that the installed app opens with no
 * network, locked with the person's offline passphrase. Invariants:
 * - It is kept only after the server's secret has opened the database (`keepOfflineUnlock` proves
 *   it on the check value first), sealed with AES-GCM under a key that needs both the database's
 *   non-extractable base key and Argon2id of the offline passphrase (`offlineUnlockKey`), with
 *   additional data binding it to this user's database and to its own header. So the files of the
 *   browser alone (which may hold the base key's bytes) do not open it.
 * - A wrong passphrase fails with `wrong_passphrase` and changes nothing (no counter, no lockout:
 *   Argon2id is what slows guessing, and the person can always go online instead).
 * - Forgetting it (the person's choice, or log-out) deletes the one record: the database then
 *   needs the server's secret again. Copies of the first version (sealed under the base key alone)
 *   are never opened: `forgetLegacyOfflineUnlock` deletes them at the next start.
 * What this does and does not protect against is in docs/e2ee-protocol.md ("Opening offline").
 *
 * Sealed copy: version 0x02 ‖ opsLimit u32 ‖ memLimit u32 ‖ salt 16 ‖ IV 12 ‖ AES-GCM ciphertext
 * of the 32-byte secret and 16-byte tag (85 bytes); additional data
 * `offlineUnlock ‖ 0x00 ‖ database name ‖ 0x00 ‖ the first 25 bytes`.
 */
import { deriveOfflinePassphraseKey, OFFLINE_PASSPHRASE_KDF, OFFLINE_PASSPHRASE_SALT_BYTES, type PassphraseKdfLimits } from "../crypto";
import { connect, NoDatabase, unlock } from "./chat-storage";
import { ChatStorageError } from "./errors";
import { META_BASE_KEY, META_OFFLINE_UNLOCK, type ChatDb } from "./schema";
import { offlineUnlockKey, STORAGE_SECRET_BYTES } from "./storage-cipher";

/** The User Timing entry of the last Argon2id run while opening the copy. */
export const ARGON2ID_MEASURE = "hearth-offline-unlock-argon2id";
const SEALED_VERSION = 2;
const IV_BYTES = 12;
const HEADER_BYTES = 1 + 4 + 4 + OFFLINE_PASSPHRASE_SALT_BYTES;
const SEALED_BYTES = HEADER_BYTES + IV_BYTES + STORAGE_SECRET_BYTES + 16;

interface SealedCopy {
  readonly header: Uint8Array<ArrayBuffer>;
  readonly limits: PassphraseKdfLimits;
  readonly salt: Uint8Array;
  readonly iv: Uint8Array<ArrayBuffer>;
  readonly ciphertext: Uint8Array<ArrayBuffer>;
}

/**
 * Keeps `storageSecret` on this device for opening offline, locked with `passphrase` (replacing a
 * copy kept before: that is how the passphrase changes).
 * @throws {ChatStorageError} `wrong_secret` when the secret does not open the database; `not_found` when there is none.
 * @throws {RangeError} for an empty passphrase.
 */
export async function keepOfflineUnlock(options: {
  userId: string;
  storageSecret: Uint8Array;
  passphrase: string;
  kdfLimits?: PassphraseKdfLimits;
}): Promise<void> {
  const limits = options.kdfLimits ?? OFFLINE_PASSPHRASE_KDF;
  const salt = crypto.getRandomValues(new Uint8Array(OFFLINE_PASSPHRASE_SALT_BYTES));
  // Argon2id first, with no database open: it is the slow part.
  const passphraseKey = await deriveOfflinePassphraseKey(options.passphrase, salt, limits);
  try {
    await withDatabase(options.userId, async (db) => {
      await unlock(db, options.storageSecret);
      const key = await offlineUnlockKey(await baseKeyOf(db), passphraseKey);
      const header = new Uint8Array(HEADER_BYTES);
      const view = new DataView(header.buffer);
      header[0] = SEALED_VERSION;
      view.setUint32(1, limits.opsLimit);
      view.setUint32(5, limits.memLimit);
      header.set(salt, 9);
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const ciphertext = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: additionalData(options.userId, header) },
        key,
        new Uint8Array(options.storageSecret),
      );
      const sealed = new Uint8Array(SEALED_BYTES);
      sealed.set(header, 0);
      sealed.set(iv, HEADER_BYTES);
      sealed.set(new Uint8Array(ciphertext), HEADER_BYTES + IV_BYTES);
      await db.put("meta", sealed, META_OFFLINE_UNLOCK);
    });
  } catch (error) {
    if (error instanceof NoDatabase) throw new ChatStorageError("not_found", "no chat storage for this user on this device");
    throw error;
  } finally {
    passphraseKey.fill(0);
  }
}

/** Whether this device keeps a passphrase-locked copy for this user's database. */
export async function hasOfflineUnlock(userId: string): Promise<boolean> {
  return withDatabase(userId, async (db) => parseSealed(await db.get("meta", META_OFFLINE_UNLOCK)) !== null).catch((error: unknown) => {
    if (error instanceof NoDatabase) return false;
    throw error;
  });
}

/**
 * The kept storage secret, opened with the offline passphrase.
 * @throws {ChatStorageError} `not_found` when this device keeps no copy; `wrong_passphrase` when
 *   the passphrase does not open it (the copy stays as it was).
 */
export async function openOfflineUnlock(options: { userId: string; passphrase: string }): Promise<Uint8Array> {
  const read = await withDatabase(options.userId, async (db) => {
    const sealed = parseSealed(await db.get("meta", META_OFFLINE_UNLOCK));
    return sealed ? { sealed, baseKey: await baseKeyOf(db) } : null;
  }).catch((error: unknown) => {
    if (error instanceof NoDatabase) return null;
    throw error;
  });
  if (!read) throw new ChatStorageError("not_found", "this device keeps no offline copy");
  const { sealed, baseKey } = read;
  let passphraseKey: Uint8Array;
  const startedAt = performance.now();
  try {
    passphraseKey = await deriveOfflinePassphraseKey(options.passphrase, sealed.salt, sealed.limits);
    // Argon2id's share of an offline start, for bench/chat/offline-start.ts.
    performance.measure(ARGON2ID_MEASURE, { start: startedAt, end: performance.now() });
  } catch (error) {
    if (error instanceof RangeError) throw new ChatStorageError("wrong_passphrase", "empty passphrase");
    throw new ChatStorageError("corrupt", "the offline copy's key derivation is unusable");
  }
  try {
    const key = await offlineUnlockKey(baseKey, passphraseKey);
    const secret = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: sealed.iv, additionalData: additionalData(options.userId, sealed.header) },
      key,
      sealed.ciphertext,
    );
    return new Uint8Array(secret);
  } catch {
    throw new ChatStorageError("wrong_passphrase", "the offline passphrase does not open the offline copy");
  } finally {
    passphraseKey.fill(0);
  }
}

/** Deletes the kept storage secret, if any: this device opens the database again only with the server's. */
export async function forgetOfflineUnlock(userId: string): Promise<void> {
  await withDatabase(userId, (db) => db.delete("meta", META_OFFLINE_UNLOCK)).catch((error: unknown) => {
    if (!(error instanceof NoDatabase)) throw error;
  });
}

/**
 * Deletes a copy kept in an earlier form (version 1: sealed under the base key alone, which a copy
 * of the browser's files opens). Resolves to whether there was one.
 */
export async function forgetLegacyOfflineUnlock(userId: string): Promise<boolean> {
  return withDatabase(userId, async (db) => {
    const kept: unknown = await db.get("meta", META_OFFLINE_UNLOCK);
    if (kept === undefined || parseSealed(kept) !== null) return false;
    await db.delete("meta", META_OFFLINE_UNLOCK);
    return true;
  }).catch((error: unknown) => {
    if (error instanceof NoDatabase) return false;
    throw error;
  });
}

function parseSealed(value: unknown): SealedCopy | null {
  if (!(value instanceof Uint8Array) || value.length !== SEALED_BYTES || value[0] !== SEALED_VERSION) return null;
  const bytes = new Uint8Array(value);
  const view = new DataView(bytes.buffer);
  return {
    header: bytes.slice(0, HEADER_BYTES),
    limits: { opsLimit: view.getUint32(1), memLimit: view.getUint32(5) },
    salt: bytes.slice(9, HEADER_BYTES),
    iv: bytes.slice(HEADER_BYTES, HEADER_BYTES + IV_BYTES),
    ciphertext: bytes.slice(HEADER_BYTES + IV_BYTES),
  };
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

function additionalData(userId: string, header: Uint8Array): Uint8Array<ArrayBuffer> {
  const label = new TextEncoder().encode(`${META_OFFLINE_UNLOCK}\0${userId}\0`);
  const data = new Uint8Array(label.length + header.length);
  data.set(label, 0);
  data.set(header, label.length);
  return data;
}
