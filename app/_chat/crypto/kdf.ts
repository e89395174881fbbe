/**
 * The key derivations of the protocol, with their exact labels. HKDF-SHA-256 comes from
 * @noble/hashes; the per-message chain step (KDF_CK) uses the allocation-free HMAC of
 * `hmac-sha256.ts` and computes exactly the HMAC specified (the tests compare it with
 * @noble/hashes on random inputs). There is no per-message HKDF: the Double Ratchet uses the
 * message key itself as the AEAD key (see `ratchet/double-ratchet.ts`).
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8, wipe } from "./bytes";
import { HmacSha256Key, hmacSha256Words, padFinalBlock, readWords, writeWords } from "./hmac-sha256";

export const KDF_LABELS = {
  pqxdh: "Hearth_PQXDH_X25519_SHA-256_ML-KEM-768",
  ratchetRoot: "Hearth_DR_Root",
  sealedSender: "Hearth_SealedSender_v1",
  backupStream: "Hearth_Backup_Stream_v1",
  backupKeyCheck: "Hearth_Backup_KeyCheck_v1",
  deviceLinkLookup: "Hearth_DeviceLink_Lookup_v1",
  deviceLinkMac: "Hearth_DeviceLink_Mac_v1",
  deviceLinkResponse: "Hearth_DeviceLink_Response_v1",
} as const;

/** HKDF-SHA-256 (RFC 5869). An absent salt is 32 zero bytes, as the RFC says. */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array {
  return hkdf(sha256, ikm, salt, info, length);
}

const ROOT_INFO = utf8(KDF_LABELS.ratchetRoot);

/** KDF_RK: HKDF(salt = root key, IKM = DH output, info "Hearth_DR_Root") → new root key, chain key. */
export function kdfRootKey(rootKey: Uint8Array, dhOutput: Uint8Array): { rootKey: Uint8Array; chainKey: Uint8Array } {
  const okm = hkdfSha256(dhOutput, rootKey, ROOT_INFO, 64);
  const result = { rootKey: okm.slice(0, 32), chainKey: okm.slice(32, 64) };
  wipe(okm);
  return result;
}

const keyWords = new Int32Array(8);

/** Zeroes words 0–7 (a loop: faster than `fill` at this size). */
function clearWords(words: Int32Array): void {
  for (let i = 0; i < 8; i++) words[i] = 0;
}

const outWords = new Int32Array(8);
const hmacKey = new HmacSha256Key();
const MESSAGE_KEY_BLOCK = padFinalBlock(Uint8Array.of(0x01));
const CHAIN_KEY_BLOCK = padFinalBlock(Uint8Array.of(0x02));

/**
 * KDF_CK: message key = HMAC-SHA-256(CK, 0x01), next chain key = HMAC-SHA-256(CK, 0x02).
 * The input chain key is left untouched; the caller wipes it once it commits the step.
 */
export function kdfChainKey(chainKey: Uint8Array): { messageKey: Uint8Array; nextChainKey: Uint8Array } {
  const messageKey = new Uint8Array(32);
  const nextChainKey = new Uint8Array(32);
  readWords(chainKey, keyWords);
  hmacKey.setKeyWords(keyWords);
  hmacSha256Words(hmacKey, MESSAGE_KEY_BLOCK, outWords);
  writeWords(outWords, messageKey);
  hmacSha256Words(hmacKey, CHAIN_KEY_BLOCK, outWords);
  writeWords(outWords, nextChainKey);
  hmacKey.wipe();
  clearWords(keyWords);
  clearWords(outWords);
  return { messageKey, nextChainKey };
}
