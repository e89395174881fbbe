/**
 * The key derivations of the protocol, with their exact labels: HKDF-SHA-256 and HMAC-SHA-256
 * from @noble/hashes. There is no per-message HKDF: the Double Ratchet uses the message key
 * itself as the AEAD key (see `ratchet/double-ratchet.ts`).
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { wipe } from "./bytes";

export const KDF_LABELS = {
  pqxdh: "Hearth_PQXDH_X25519_SHA-256_ML-KEM-768",
  ratchetRoot: "Hearth_DR_Root",
  sealedSender: "Hearth_SealedSender_v1",
  sealedSenderV2: "Hearth_SealedSender_v2",
  sealedSenderV2Sender: "Hearth_SealedSender_v2_Sender",
  backupStream: "Hearth_Backup_Stream_v1",
  backupKeyCheck: "Hearth_Backup_KeyCheck_v1",
  deviceLinkLookup: "Hearth_DeviceLink_Lookup_v1",
  deviceLinkMac: "Hearth_DeviceLink_Mac_v1",
  deviceLinkResponse: "Hearth_DeviceLink_Response_v1",
  senderKeyMessage: "Hearth_SenderKey_Message_v1",
} as const;

/** HKDF-SHA-256 (RFC 5869). An absent salt is 32 zero bytes, as the RFC says. */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array {
  return hkdf(sha256, ikm, salt, info, length);
}

/** HMAC-SHA-256 (RFC 2104). */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(sha256, key, data);
}

const ROOT_INFO = utf8ToBytes(KDF_LABELS.ratchetRoot);

/** KDF_RK: HKDF(salt = root key, IKM = DH output, info "Hearth_DR_Root") → new root key, chain key. */
export function kdfRootKey(rootKey: Uint8Array, dhOutput: Uint8Array): { rootKey: Uint8Array; chainKey: Uint8Array } {
  const okm = hkdfSha256(dhOutput, rootKey, ROOT_INFO, 64);
  const result = { rootKey: okm.slice(0, 32), chainKey: okm.slice(32, 64) };
  wipe(okm);
  return result;
}

const MESSAGE_KEY_SEED = Uint8Array.of(0x01);
const CHAIN_KEY_SEED = Uint8Array.of(0x02);

/**
 * KDF_CK: message key = HMAC-SHA-256(CK, 0x01), next chain key = HMAC-SHA-256(CK, 0x02).
 * The key is set up once and cloned (@noble's way of reusing a keyed HMAC); each digest wipes
 * the HMAC state it used. The input chain key is left untouched; the caller wipes it once it
 * commits the step.
 */
export function kdfChainKey(chainKey: Uint8Array): { messageKey: Uint8Array; nextChainKey: Uint8Array } {
  const messageKey = new Uint8Array(32);
  const nextChainKey = new Uint8Array(32);
  const keyed = hmac.create(sha256, chainKey);
  keyed.clone().update(MESSAGE_KEY_SEED).digestInto(messageKey);
  keyed.update(CHAIN_KEY_SEED).digestInto(nextChainKey);
  return { messageKey, nextChainKey };
}
