/**
 * Message franking on the device (docs/e2ee-protocol.md, "Message franking"). The sender makes a
 * fresh franking key Kf per message, puts it inside the encrypted content, and sends the commitment
 * C = HMAC-SHA-256(Kf, message) beside every envelope. The server binds C to sender, recipient and
 * time in a tag, and seals the tag under a key derived from C and the recipient device: the
 * recipient recomputes C from what it decrypted, so the tag opens only when the server bound the
 * commitment of exactly this message. Kf, C and the tag then let the recipient prove to the
 * server, by reporting, who sent this message, and nothing else of the conversation.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  FRANKING_KEY_BYTES,
  FRANKING_SEAL_NONCE,
  FRANKING_TAG_BYTES,
  frankedMessageBytes,
  frankingSealKeyInput,
  SEALED_FRANKING_TAG_BYTES,
} from "@/app/_shared/isomorphic/franking";
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";
import { sodium } from "../sodium";

/** What a franking commitment covers: exactly what a report reveals. */
export interface FrankedMessage {
  id: string;
  sentAt: number;
  body: string;
}

/** A fresh franking key for one message. */
export function createFrankingKey(random: RandomSource): Uint8Array {
  return random(FRANKING_KEY_BYTES);
}

/**
 * C = HMAC-SHA-256(Kf, message).
 * @throws {CryptoError} `InvalidKey` for a key of the wrong length
 */
export function frankingCommitment(frankingKey: Uint8Array, message: FrankedMessage): Uint8Array {
  if (frankingKey.length !== FRANKING_KEY_BYTES) throw new CryptoError("InvalidKey", "franking key length");
  return hmac(sha256, frankingKey, frankedMessageBytes(message));
}

/**
 * The server's tag from the sealed form delivered with the envelope.
 * @throws {CryptoError} `InvalidFranking` when it does not open with this commitment and device
 */
export function openFrankingTag(options: { sealed: Uint8Array; commitment: Uint8Array; deviceRowId: string }): Uint8Array {
  if (options.sealed.length !== SEALED_FRANKING_TAG_BYTES) throw new CryptoError("InvalidFranking", "sealed tag length");
  const key = sha256(frankingSealKeyInput(options));
  try {
    const tag = sodium().crypto_aead_chacha20poly1305_ietf_decrypt(null, options.sealed, null, FRANKING_SEAL_NONCE, key);
    if (tag.length !== FRANKING_TAG_BYTES) throw new Error("tag length");
    return tag;
  } catch {
    throw new CryptoError("InvalidFranking", "the tag does not open with this message's commitment");
  }
}
