/**
 * Encryption at rest of the chat storage. Invariants:
 * - The HKDF base key is random, made once per database, imported non-extractable and kept as a
 *   `CryptoKey` in IndexedDB; its raw bytes are wiped once imported. The browser may still write
 *   them to disk, so the base key alone must not open the data.
 * - The keys that do the work (AES-GCM-256 for values, HMAC-SHA-256 for blind index keys) are
 *   derived from the base key with HKDF-SHA-256, salted with the account's storage secret (which
 *   the server hands to the logged-in owner), non-extractable, and kept only in memory. So neither
 *   a copy of the browser's files nor the server's secret alone opens the data.
 * - Every value is sealed with a fresh random 96-bit IV and additional data
 *   `<store name> 0x00 <record key>`: a sealed value moved to another record does not open.
 *
 * Sealed value: version 0x01 ‖ IV 12 ‖ AES-GCM ciphertext and 16-byte tag.
 */
import { ChatStorageError } from "./errors";

export const STORAGE_SECRET_BYTES = 32;
const BASE_KEY_BYTES = 32;
const IV_BYTES = 12;
const SEALED_VERSION = 1;
const VALUE_KEY_INFO = "Hearth_ChatStorage_v1";
const INDEX_KEY_INFO = "Hearth_ChatStorage_v1_BlindIndex";
const OFFLINE_UNLOCK_INFO = "Hearth_ChatStorage_v2_OfflineUnlock_Passphrase";
/** 128 bits: collisions between the few index entries of one key are out of reach. */
const BLIND_INDEX_BYTES = 16;

const utf8Encoder = new TextEncoder();

/** A record key as IndexedDB holds it: a string, a number, or an array of them. */
export type RecordKey = string | number | readonly (string | number)[];

/** A new random HKDF base key, non-extractable. */
export async function createBaseKey(): Promise<CryptoKey> {
  const bytes = crypto.getRandomValues(new Uint8Array(BASE_KEY_BYTES));
  try {
    return await crypto.subtle.importKey("raw", bytes, "HKDF", false, ["deriveKey"]);
  } finally {
    bytes.fill(0);
  }
}

/**
 * The key that seals this device's offline copy of the storage secret (`offline-unlock.ts`):
 * HKDF over the base key, salted with the key the person's offline passphrase gives (Argon2id), so
 * it needs both this database's base key and the passphrase, and never leaves WebCrypto.
 */
export async function offlineUnlockKey(baseKey: CryptoKey, passphraseKey: Uint8Array): Promise<CryptoKey> {
  const salt = new Uint8Array(passphraseKey);
  try {
    const hkdf = { name: "HKDF", hash: "SHA-256", salt, info: utf8Encoder.encode(OFFLINE_UNLOCK_INFO) };
    return await crypto.subtle.deriveKey(hkdf, baseKey, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  } finally {
    salt.fill(0);
  }
}

export class StorageCipher {
  private constructor(
    private readonly valueKey: CryptoKey,
    private readonly indexKey: CryptoKey,
  ) {}

  /** @throws {ChatStorageError} `invalid_secret` unless the storage secret is 32 bytes. */
  static async derive(baseKey: CryptoKey, storageSecret: Uint8Array): Promise<StorageCipher> {
    if (storageSecret.length !== STORAGE_SECRET_BYTES) throw new ChatStorageError("invalid_secret", "the storage secret must be 32 bytes");
    const salt = new Uint8Array(storageSecret);
    try {
      const hkdf = (info: string) => ({ name: "HKDF", hash: "SHA-256", salt, info: utf8Encoder.encode(info) });
      const [valueKey, indexKey] = await Promise.all([
        crypto.subtle.deriveKey(hkdf(VALUE_KEY_INFO), baseKey, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]),
        crypto.subtle.deriveKey(hkdf(INDEX_KEY_INFO), baseKey, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign"]),
      ]);
      return new StorageCipher(valueKey, indexKey);
    } finally {
      salt.fill(0);
    }
  }

  async seal(storeName: string, key: RecordKey, plaintext: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(storeName, key) }, this.valueKey, plaintext);
    const sealed = new Uint8Array(1 + IV_BYTES + ciphertext.byteLength);
    sealed[0] = SEALED_VERSION;
    sealed.set(iv, 1);
    sealed.set(new Uint8Array(ciphertext), 1 + IV_BYTES);
    return sealed;
  }

  /** @throws {ChatStorageError} `corrupt` when the value does not authenticate under this key and record. */
  async open(storeName: string, key: RecordKey, sealed: unknown): Promise<Uint8Array<ArrayBuffer>> {
    if (!(sealed instanceof Uint8Array) || sealed.length < 1 + IV_BYTES + 16 || sealed[0] !== SEALED_VERSION) {
      throw new ChatStorageError("corrupt", `malformed sealed value in ${storeName}`);
    }
    try {
      const plaintext = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: sealed.slice(1, 1 + IV_BYTES), additionalData: additionalData(storeName, key) },
        this.valueKey,
        sealed.slice(1 + IV_BYTES),
      );
      return new Uint8Array(plaintext);
    } catch {
      throw new ChatStorageError("corrupt", `a value in ${storeName} does not authenticate`);
    }
  }

  /** A keyed hash of `bytes`, hex: a lookup key that shows nothing to whoever lacks the keys. */
  async blindIndex(bytes: Uint8Array): Promise<string> {
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", this.indexKey, new Uint8Array(bytes)));
    let hex = "";
    for (let i = 0; i < BLIND_INDEX_BYTES; i++) hex += mac[i]!.toString(16).padStart(2, "0");
    return hex;
  }
}

/** `<store name> 0x00 <record key>`; an array key's parts are joined with 0x00 too. */
function additionalData(storeName: string, key: RecordKey): Uint8Array<ArrayBuffer> {
  const keyText = typeof key === "object" ? key.join("\0") : String(key);
  return utf8Encoder.encode(`${storeName}\0${keyText}`);
}
