/**
 * Every failure of the crypto core is a `CryptoError` with a code; callers branch on the code,
 * never on the message. A failed decryption throws, it never returns null.
 */
export type CryptoErrorCode =
  /** The crypto core was used before `loadCryptoCore()` resolved. */
  | "NotReady"
  /** Malformed, wrongly sized or unusable key material (including low-order or all-zero DH results). */
  | "InvalidKey"
  /** A signature over a prekey, bundle or sealed-sender content does not verify. */
  | "InvalidSignature"
  /** A message that does not parse or does not authenticate. */
  | "InvalidMessage"
  /** A message names a prekey this device does not have (used, rotated away, or never made). */
  | "InvalidKeyId"
  /** A message that was already decrypted (its key is gone) or replays a used PQXDH handshake. */
  | "DuplicatedMessage"
  /** A message would need more skipped message keys than the bound allows (Double Ratchet or sender key). */
  | "TooManySkippedMessages"
  /** A group message from a sender-key chain this device never received (or no longer keeps), or an exhausted own chain. */
  | "NoSenderKey"
  /** A stored sender-key state (own or received) that does not parse. */
  | "InvalidSenderKeyRecord"
  /** The identity key of the other party is not the one trusted for that address. */
  | "UntrustedIdentity"
  /** No session with that address. */
  | "NoSession"
  /** A sealed-sender envelope that does not parse, decrypt or verify. */
  | "InvalidEnvelope"
  /** A serialized structure written by a newer version than this code understands. */
  | "UnsupportedVersion"
  /** A stored session record that does not parse. */
  | "InvalidSessionRecord"
  /** A safety-number QR payload that does not parse. */
  | "InvalidSafetyNumber"
  /** A scanned safety number made with another fingerprint version. */
  | "SafetyNumberVersionMismatch"
  /** A recovery key with the wrong length, characters or check digit. */
  | "InvalidRecoveryKey"
  /** A backup whose header does not parse or asks for unacceptable parameters. */
  | "InvalidBackup"
  /** The recovery key or passphrase does not open this backup. */
  | "BackupWrongKey"
  /** A backup chunk that does not authenticate (tampered or damaged). */
  | "BackupDecryptionFailed"
  /** A backup that ends before its final chunk. */
  | "BackupTruncated"
  /** A device list that does not parse, is not signed by the account key it names, or is for another user. */
  | "InvalidDeviceList"
  /** A typed device-link code with the wrong length or characters. */
  | "InvalidLinkCode"
  /** A device-link request that does not parse or whose MAC (keyed by the code) does not verify. */
  | "InvalidLinkRequest"
  /** A device-link response that does not parse or does not open with the code and the request's ephemeral key. */
  | "InvalidLinkResponse"
  /** An attachment whose ciphertext does not authenticate, has the wrong digest or length, or whose pointer (key, size, digest) is malformed. */
  | "InvalidAttachment"
  /** An attachment that ended before its final chunk: fetch the rest from the decryptor's `consumed` and push it. */
  | "AttachmentTruncated"
  /** A franking tag that does not open with the commitment of the message it came with. */
  | "InvalidFranking";

/** The error type of the crypto core. The message never contains key material or plaintext. */
export class CryptoError extends Error {
  override readonly name = "CryptoError";

  constructor(
    readonly code: CryptoErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

/** True when `error` is a `CryptoError`, and has `code` when one is given. */
export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}
