/**
 * XChaCha20-Poly1305-IETF from libsodium, the one AEAD of the protocol. Keys are 32 bytes,
 * nonces 24 bytes (random, or unique by construction where the key is used once).
 */
import { CryptoError, type CryptoErrorCode } from "./errors";
import { sodium } from "./sodium";

export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 24;
export const AEAD_TAG_BYTES = 16;

/** Ciphertext ‖ 16-byte tag. */
export function aeadEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
  return sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associatedData, null, nonce, key);
}

/**
 * Opens ciphertext ‖ tag.
 * @throws {CryptoError} with `failureCode` when it does not authenticate.
 */
export function aeadDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array, failureCode: CryptoErrorCode): Uint8Array {
  if (ciphertext.length < AEAD_TAG_BYTES) throw new CryptoError(failureCode, "ciphertext too short");
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, associatedData, nonce, key);
  } catch {
    throw new CryptoError(failureCode, "authentication failed");
  }
}
