/**
 * Safety numbers (Signal's numeric fingerprint, version 0 hashing, 5,200 iterations):
 *
 *   fingerprint(key, id) = H^5200 where H_0 = 0x0000 ‖ key ‖ id and H_i = SHA-512(H_{i-1} ‖ key)
 *   digits(fingerprint)  = six 5-digit groups: bytes [5i, 5i+5) as a big-endian integer mod 100000
 *   safety number        = the two 30-digit strings, smaller first (so both sides see the same 60)
 *
 * `key` is the encoded identity key (0x06 ‖ Ed25519 key), `id` the user's stable id in UTF-8.
 * The QR payload is 0x01 ‖ own fingerprint[0..32] ‖ their fingerprint[0..32]; scanning the
 * other side's code matches when its halves are ours swapped.
 */
import { sha512 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { bytesEqual } from "./bytes";
import { CryptoError } from "./errors";
import type { IdentityKey } from "./keys/identity-key";

export const SAFETY_NUMBER_ITERATIONS = 5200;
export const SAFETY_NUMBER_QR_VERSION = 1;
const FINGERPRINT_VERSION = Uint8Array.of(0x00, 0x00);
const QR_FINGERPRINT_BYTES = 32;
const QR_PAYLOAD_BYTES = 1 + 2 * QR_FINGERPRINT_BYTES;

export interface SafetyNumberParty {
  readonly stableId: string;
  readonly identityKey: IdentityKey;
}

export interface SafetyNumber {
  /** 60 digits, no spaces. */
  readonly digits: string;
  /** Bytes to show as a QR code. */
  readonly qrPayload: Uint8Array;
}

/** The iterated hash of one party (Signal's `get_fingerprint`), over the encoded key bytes. */
export function fingerprintHash(encodedKey: Uint8Array, stableId: Uint8Array, iterations = SAFETY_NUMBER_ITERATIONS): Uint8Array {
  let hash = sha512(concatBytes(FINGERPRINT_VERSION, encodedKey, stableId, encodedKey));
  const input = new Uint8Array(64 + encodedKey.length);
  input.set(encodedKey, 64);
  for (let i = 1; i < iterations; i++) {
    input.set(hash, 0);
    hash = sha512(input);
  }
  return hash;
}

/** Six 5-digit groups from the first 30 bytes. */
export function fingerprintDigits(hash: Uint8Array): string {
  let digits = "";
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 256 + hash[5 * chunk + i]!;
    digits += String(value % 100_000).padStart(5, "0");
  }
  return digits;
}

/** Both parties compute the same digits; each gets its own QR payload. */
export function computeSafetyNumber(options: { local: SafetyNumberParty; remote: SafetyNumberParty }): SafetyNumber {
  const local = fingerprintHash(options.local.identityKey.serialize(), utf8ToBytes(options.local.stableId));
  const remote = fingerprintHash(options.remote.identityKey.serialize(), utf8ToBytes(options.remote.stableId));
  const localDigits = fingerprintDigits(local);
  const remoteDigits = fingerprintDigits(remote);
  return {
    digits: localDigits < remoteDigits ? localDigits + remoteDigits : remoteDigits + localDigits,
    qrPayload: concatBytes(Uint8Array.of(SAFETY_NUMBER_QR_VERSION), local.subarray(0, QR_FINGERPRINT_BYTES), remote.subarray(0, QR_FINGERPRINT_BYTES)),
  };
}

/** "12345 67890 …": twelve groups of five, for display. */
export function formatSafetyNumber(digits: string): string {
  return digits.replace(/(\d{5})(?=\d)/g, "$1 ");
}

/**
 * True when `scanned` (the other device's QR payload) shows the same two identities as ours.
 * @throws {CryptoError} `InvalidSafetyNumber` for a malformed payload,
 *   `SafetyNumberVersionMismatch` for another version.
 */
export function compareScannedSafetyNumber(own: Uint8Array, scanned: Uint8Array): boolean {
  if (scanned.length === 0) throw new CryptoError("InvalidSafetyNumber", "empty payload");
  if (scanned[0] !== SAFETY_NUMBER_QR_VERSION) throw new CryptoError("SafetyNumberVersionMismatch");
  if (scanned.length !== QR_PAYLOAD_BYTES || own.length !== QR_PAYLOAD_BYTES) {
    throw new CryptoError("InvalidSafetyNumber", "wrong payload length");
  }
  const ownLocal = own.subarray(1, 33);
  const ownRemote = own.subarray(33);
  const theirLocal = scanned.subarray(1, 33);
  const theirRemote = scanned.subarray(33);
  const same = bytesEqual(theirLocal, ownRemote);
  return bytesEqual(theirRemote, ownLocal) && same;
}
