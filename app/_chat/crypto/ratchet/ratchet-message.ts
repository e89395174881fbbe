/**
 * The wire format of a Double Ratchet message:
 *
 *   header  = 0x02 (version) ‖ 0x05 ‖ ratchet public key 32 ‖ PN u32 ‖ N u32      (42 bytes)
 *   message = header ‖ nonce 24 ‖ XChaCha20-Poly1305 ciphertext ‖ tag 16
 *
 * The AEAD's associated data is the session's AD (IK_A ‖ IK_B, 66 bytes) ‖ header, and its key
 * is the message key mk itself. Version 1 had the same layout but keyed the AEAD with a key
 * derived from mk by HKDF; its messages are refused (`InvalidMessage`), never tried under the
 * version 2 rule.
 */
import { CryptoError } from "../errors";
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES } from "../aead";
import { KEY_TYPE } from "../keys/key-type";

/** Version 2: the AEAD key is mk itself. Version 1 (refused) derived it from mk with HKDF. */
export const RATCHET_MESSAGE_VERSION = 2;
export const RATCHET_HEADER_BYTES = 42;
export const RATCHET_MESSAGE_OVERHEAD = RATCHET_HEADER_BYTES + AEAD_NONCE_BYTES + AEAD_TAG_BYTES;

export interface ParsedRatchetMessage {
  readonly ratchetKey: Uint8Array;
  readonly previousCounter: number;
  readonly counter: number;
  readonly header: Uint8Array;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/** Writes the header into `out[0..42]`. */
export function writeRatchetHeader(out: Uint8Array, ratchetKey: Uint8Array, previousCounter: number, counter: number): void {
  out[0] = RATCHET_MESSAGE_VERSION;
  out[1] = KEY_TYPE.x25519;
  out.set(ratchetKey, 2);
  writeU32(out, 34, previousCounter);
  writeU32(out, 38, counter);
}

function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * Splits a message into its parts (views into `bytes`, not copies).
 * @throws {CryptoError} `InvalidMessage` when too short, badly encoded or of an older version
 *   (version 1: another key rule); `UnsupportedVersion` when newer.
 */
export function parseRatchetMessage(bytes: Uint8Array): ParsedRatchetMessage {
  if (bytes.length < RATCHET_MESSAGE_OVERHEAD) throw new CryptoError("InvalidMessage", "message too short");
  if (bytes[0]! > RATCHET_MESSAGE_VERSION) throw new CryptoError("UnsupportedVersion", "newer ratchet message version");
  if (bytes[0]! < RATCHET_MESSAGE_VERSION) throw new CryptoError("InvalidMessage", "obsolete ratchet message version");
  if (bytes[1] !== KEY_TYPE.x25519) throw new CryptoError("InvalidMessage", "unknown ratchet key type");
  return {
    ratchetKey: bytes.subarray(2, 34),
    previousCounter: readU32(bytes, 34),
    counter: readU32(bytes, 38),
    header: bytes.subarray(0, RATCHET_HEADER_BYTES),
    nonce: bytes.subarray(RATCHET_HEADER_BYTES, RATCHET_HEADER_BYTES + AEAD_NONCE_BYTES),
    ciphertext: bytes.subarray(RATCHET_HEADER_BYTES + AEAD_NONCE_BYTES),
  };
}
