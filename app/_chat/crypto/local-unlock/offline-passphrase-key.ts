/**
 * The key an offline passphrase gives: Argon2id (libsodium sumo, `crypto_pwhash`, ALG_ARGON2ID13)
 * over the NFKC-normalized passphrase, as the backups' passphrase, with a random salt kept beside
 * the sealed copy it opens. Only the chat storage uses it, to seal its offline copy of the storage
 * secret (app/_chat/storage/offline-unlock.ts); it never leaves the device.
 *
 * Limits: libsodium's INTERACTIVE (2 passes over 64 MiB), since it runs at every offline start
 * while the person waits; a stored copy asking for more than `MAX` is refused rather than run.
 */
import { wipe } from "../bytes";
import { CryptoError } from "../errors";
import type { BackupKdfLimits } from "../backup/backup";
import { passphraseBytes } from "../backup/backup";
import { loadSodiumSumo } from "../backup/sodium-sumo";

export type PassphraseKdfLimits = BackupKdfLimits;

/** libsodium's INTERACTIVE limits: 2 passes over 64 MiB. */
export const OFFLINE_PASSPHRASE_KDF: PassphraseKdfLimits = { opsLimit: 2, memLimit: 64 * 1024 * 1024 };
/** libsodium's MIN limits: for tests only. */
export const OFFLINE_PASSPHRASE_KDF_MINIMUM: PassphraseKdfLimits = { opsLimit: 1, memLimit: 8192 };
export const OFFLINE_PASSPHRASE_SALT_BYTES = 16;
export const OFFLINE_PASSPHRASE_KEY_BYTES = 32;
const MAX = { opsLimit: 10, memLimit: 1024 * 1024 * 1024 } as const;

/**
 * Loads libsodium's sumo build ahead of need: offline, only files an online visit loaded are in
 * the service worker's cache, so a device with an offline passphrase fetches it while online.
 */
export async function prepareOfflinePassphraseKey(): Promise<void> {
  await loadSodiumSumo();
}

/**
 * Argon2id(passphrase, salt, limits) → 32 bytes. The caller wipes the result once used.
 * @throws {RangeError} for an empty passphrase. {CryptoError} `InvalidKey` for a salt that is not
 *   16 bytes or limits out of range.
 */
export async function deriveOfflinePassphraseKey(passphrase: string, salt: Uint8Array, limits: PassphraseKdfLimits): Promise<Uint8Array> {
  if (salt.length !== OFFLINE_PASSPHRASE_SALT_BYTES) throw new CryptoError("InvalidKey", "the salt must be 16 bytes");
  if (!(limits.opsLimit >= 1 && limits.opsLimit <= MAX.opsLimit && limits.memLimit >= 8192 && limits.memLimit <= MAX.memLimit)) {
    throw new CryptoError("InvalidKey", "key derivation limits out of range");
  }
  const secret = passphraseBytes(passphrase);
  const sumo = await loadSodiumSumo();
  try {
    return sumo.crypto_pwhash(OFFLINE_PASSPHRASE_KEY_BYTES, secret, salt, limits.opsLimit, limits.memLimit, sumo.crypto_pwhash_ALG_ARGON2ID13);
  } finally {
    wipe(secret);
  }
}
