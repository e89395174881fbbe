/**
 * The cryptography of one sender-key chain, shared by the sending and the receiving side:
 *
 *   step(ck)         = (message seed = HMAC-SHA-256(ck, 0x01), next ck = HMAC-SHA-256(ck, 0x02))   (KDF_CK)
 *   keys(seed)       = HKDF-SHA-256(IKM = seed, salt = none (32 zero bytes),
 *                                   info = "Hearth_SenderKey_Message_v1", 56) → key (32) ‖ nonce (24)
 *   ciphertext       = XChaCha20-Poly1305(key, nonce, plaintext, AD = header)
 *   signature        = Ed25519(signing key, "Hearth_SenderKey_Signature_v1" ‖ 0x00 ‖ header ‖ length ‖ ciphertext)
 *
 * The nonce is derived, not random (every member must compute the same one, and a random one
 * would add 24 bytes to every message): each (key, nonce) pair is used for one iteration only as
 * long as the sender never encrypts twice at one iteration. The sender must therefore store the
 * advanced `OwnSenderKey` before its message leaves; a rolled-back sending chain would reuse a
 * keystream (see docs/e2ee-protocol.md, "Groups").
 *
 * The signing key pair is a plain Ed25519 key pair of the chain, made from 32 random bytes with
 * libsodium's `crypto_sign_seed_keypair`; it is not an identity key and signs nothing else.
 */
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { aeadDecrypt, aeadEncrypt, AEAD_KEY_BYTES, AEAD_NONCE_BYTES } from "../aead";
import { wipe } from "../bytes";
import { CryptoError } from "../errors";
import { hkdfSha256, kdfChainKey, KDF_LABELS } from "../kdf";
import { labeledMessage } from "../keys/identity-key";
import { sodium } from "../sodium";
import {
  SENDER_KEY_SIGNATURE_BYTES,
  SENDER_KEY_SIGNATURE_LABEL,
  SIGNING_PUBLIC_KEY_BYTES,
  writeSenderKeyHeader,
  writeSignedPart,
  type ParsedSenderKeyMessage,
  type SenderKeyHeader,
} from "./sender-key-message";

export const SIGNING_SEED_BYTES = 32;
const MESSAGE_INFO = utf8ToBytes(KDF_LABELS.senderKeyMessage);

export interface SigningKeyPair {
  readonly publicKey: Uint8Array;
  /** libsodium's 64-byte Ed25519 secret key (seed ‖ public key). */
  readonly privateKey: Uint8Array;
}

export function signingKeyPairFromSeed(seed: Uint8Array): SigningKeyPair {
  const { publicKey, privateKey } = sodium().crypto_sign_seed_keypair(seed);
  return { publicKey, privateKey };
}

/** True for an encoding libsodium accepts as an Ed25519 point outside the small-order subgroup. */
export function isValidSigningKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== SIGNING_PUBLIC_KEY_BYTES) return false;
  try {
    sodium().crypto_sign_ed25519_pk_to_curve25519(publicKey);
    return true;
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    return false;
  }
}

/** One step of the chain: the message seed for the current iteration, and the next chain key. */
export function senderChainStep(chainKey: Uint8Array): { messageSeed: Uint8Array; nextChainKey: Uint8Array } {
  const { messageKey, nextChainKey } = kdfChainKey(chainKey);
  return { messageSeed: messageKey, nextChainKey };
}

function messageKeys(messageSeed: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const okm = hkdfSha256(messageSeed, undefined, MESSAGE_INFO, AEAD_KEY_BYTES + AEAD_NONCE_BYTES);
  const keys = { key: okm.slice(0, AEAD_KEY_BYTES), nonce: okm.slice(AEAD_KEY_BYTES) };
  wipe(okm);
  return keys;
}

/** A whole SenderKeyMessage for `plaintext` at `header.iteration`, signed. */
export function writeSenderKeyMessage(header: SenderKeyHeader, messageSeed: Uint8Array, signing: SigningKeyPair, plaintext: Uint8Array): Uint8Array {
  const headerBytes = writeSenderKeyHeader(header);
  const { key, nonce } = messageKeys(messageSeed);
  const ciphertext = aeadEncrypt(key, nonce, plaintext, headerBytes);
  wipe(key);
  const signed = writeSignedPart(headerBytes, ciphertext);
  const signature = sodium().crypto_sign_detached(labeledMessage(SENDER_KEY_SIGNATURE_LABEL, signed), signing.privateKey);
  const out = new Uint8Array(signed.length + SENDER_KEY_SIGNATURE_BYTES);
  out.set(signed);
  out.set(signature, signed.length);
  return out;
}

export function verifySenderKeySignature(message: ParsedSenderKeyMessage, signingKey: Uint8Array): boolean {
  try {
    return sodium().crypto_sign_verify_detached(message.signature, labeledMessage(SENDER_KEY_SIGNATURE_LABEL, message.signed), signingKey);
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    return false;
  }
}

/**
 * Opens the ciphertext of a message whose signature was checked; the caller wipes the seed.
 * @throws {CryptoError} `InvalidMessage` when it does not authenticate.
 */
export function openSenderKeyCiphertext(message: ParsedSenderKeyMessage, messageSeed: Uint8Array): Uint8Array {
  const { key, nonce } = messageKeys(messageSeed);
  try {
    return aeadDecrypt(key, nonce, message.ciphertext, message.header, "InvalidMessage");
  } finally {
    wipe(key);
  }
}
