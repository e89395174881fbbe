// Seals small secrets that the server must read back (TOTP keys) with AES-256-GCM under a key kept
// outside the database, so a dump or a backup of the database alone does not give anyone a second
// factor. The key is derived (HKDF-SHA-256, its own label) from the server's rate-limit key
// (rate-limit-secret.ts, HEARTH_RATE_LIMIT_SECRET): one secret to keep, not two. The row it belongs
// to is bound as associated data, so a sealed value copied onto another account does not open.
import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { rateLimitSecret } from "./rate-limit-secret";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

let cachedKey: Buffer | undefined;

function sealingKey(): Buffer {
  cachedKey ??= Buffer.from(hkdfSync("sha256", rateLimitSecret(), new Uint8Array(0), "hearth/secret-box/v1", 32));
  return cachedKey;
}

/** nonce ‖ ciphertext ‖ tag, bound to `owner` (e.g. the account id). */
export function sealSecret(plaintext: Uint8Array, owner: string): Uint8Array<ArrayBuffer> {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(), nonce);
  cipher.setAAD(Buffer.from(owner, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]));
}

/**
 * Opens what sealSecret sealed for the same owner.
 * @throws Error when the value was altered, sealed for another owner, or under another key
 */
export function openSecret(sealed: Uint8Array, owner: string): Uint8Array {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error("Sealed secret too short.");
  const decipher = createDecipheriv("aes-256-gcm", sealingKey(), sealed.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(owner, "utf8"));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]));
}
