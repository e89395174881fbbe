/**
 * The wire formats of sender keys (Signal's group messages, in Hearth's formats). All integers
 * big-endian; group and distribution ids are 16 bytes (the group's UUID; 16 random bytes).
 *
 *   SenderKeyMessage
 *     header    = 0x01 ‖ group id (16) ‖ distribution id (16) ‖ iteration u32               37 bytes
 *     message   = header ‖ ciphertext length u32 ‖ XChaCha20-Poly1305 ciphertext ‖ tag (16)
 *                 ‖ Ed25519(chain signing key, "Hearth_SenderKey_Signature_v1" ‖ 0x00 ‖ every byte before it) (64)
 *     AEAD associated data = header                                                 plaintext + 121 bytes
 *
 *   SenderKeyDistributionMessage
 *     0x01 ‖ group id (16) ‖ distribution id (16) ‖ iteration u32 ‖ chain key (32)
 *          ‖ Ed25519 signing public key (32)                                                     101 bytes
 *
 * A distribution message is not signed: it only ever travels inside a pairwise session, which
 * gives it its secrecy and authenticates its sender.
 */
import { ByteReader, ByteWriter } from "../bytes";
import { CryptoError } from "../errors";
import { bytesToUuid, UUID_BYTES } from "../devices/uuid";

export const SENDER_KEY_MESSAGE_VERSION = 1;
export const SENDER_KEY_DISTRIBUTION_VERSION = 1;
export const SENDER_KEY_SIGNATURE_LABEL = "Hearth_SenderKey_Signature_v1";
export const DISTRIBUTION_ID_BYTES = 16;
export const SENDER_CHAIN_KEY_BYTES = 32;
export const SIGNING_PUBLIC_KEY_BYTES = 32;
export const SENDER_KEY_SIGNATURE_BYTES = 64;
export const SENDER_KEY_HEADER_BYTES = 1 + UUID_BYTES + DISTRIBUTION_ID_BYTES + 4;
/**
 * No message carries the last u32 iteration, so a receiving chain's next iteration (one past the
 * last message) always fits a u32 too.
 */
export const MAX_SENDER_KEY_ITERATION = 0xffff_ffff - 1;
const MAX_CIPHERTEXT_BYTES = 64 * 1024 * 1024;

export interface SenderKeyHeader {
  readonly groupId: Uint8Array;
  readonly distributionId: Uint8Array;
  readonly iteration: number;
}

export interface ParsedSenderKeyMessage extends SenderKeyHeader {
  /** The AEAD's associated data. */
  readonly header: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** Everything the signature covers (all but the signature). */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

export interface SenderKeyDistribution extends SenderKeyHeader {
  /** The chain key at `iteration`. */
  readonly chainKey: Uint8Array;
  readonly signingKey: Uint8Array;
}

export function writeSenderKeyHeader(header: SenderKeyHeader): Uint8Array {
  return new ByteWriter(SENDER_KEY_HEADER_BYTES)
    .u8(SENDER_KEY_MESSAGE_VERSION)
    .bytes(header.groupId)
    .bytes(header.distributionId)
    .u32(header.iteration)
    .finish();
}

/** header ‖ ciphertext length ‖ ciphertext: the bytes the signature covers. */
export function writeSignedPart(header: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return new ByteWriter(header.length + 4 + ciphertext.length).bytes(header).lengthPrefixed(ciphertext).finish();
}

function readHeader(reader: ByteReader): SenderKeyHeader {
  reader.version(SENDER_KEY_MESSAGE_VERSION);
  const groupId = reader.bytes(UUID_BYTES);
  const distributionId = reader.bytes(DISTRIBUTION_ID_BYTES);
  const iteration = reader.u32();
  if (iteration > MAX_SENDER_KEY_ITERATION) throw new CryptoError("InvalidMessage", "iteration out of range");
  return { groupId, distributionId, iteration };
}

/**
 * Splits a SenderKeyMessage into its parts; checks nothing cryptographic.
 * @throws {CryptoError} `InvalidMessage` when it does not parse; `UnsupportedVersion` when newer.
 */
export function parseSenderKeyMessage(bytes: Uint8Array): ParsedSenderKeyMessage {
  const reader = new ByteReader(bytes, "InvalidMessage");
  const header = readHeader(reader);
  const ciphertext = reader.lengthPrefixed(MAX_CIPHERTEXT_BYTES);
  const signedLength = bytes.length - reader.remaining;
  const signature = reader.bytes(SENDER_KEY_SIGNATURE_BYTES);
  reader.end();
  return {
    ...header,
    header: bytes.slice(0, SENDER_KEY_HEADER_BYTES),
    ciphertext,
    signed: bytes.slice(0, signedLength),
    signature,
  };
}

/**
 * The group a SenderKeyMessage is for (lowercase UUID), read from its header alone, so the
 * caller can find the receiving state before decrypting.
 * @throws {CryptoError} `InvalidMessage` when the header does not parse; `UnsupportedVersion` when newer.
 */
export function senderKeyMessageGroupId(message: Uint8Array): string {
  if (message.length < SENDER_KEY_HEADER_BYTES) throw new CryptoError("InvalidMessage", "message too short");
  return bytesToUuid(readHeader(new ByteReader(message.subarray(0, SENDER_KEY_HEADER_BYTES), "InvalidMessage")).groupId);
}

export function serializeSenderKeyDistribution(distribution: SenderKeyDistribution): Uint8Array {
  return new ByteWriter(SENDER_KEY_HEADER_BYTES + SENDER_CHAIN_KEY_BYTES + SIGNING_PUBLIC_KEY_BYTES)
    .u8(SENDER_KEY_DISTRIBUTION_VERSION)
    .bytes(distribution.groupId)
    .bytes(distribution.distributionId)
    .u32(distribution.iteration)
    .bytes(distribution.chainKey)
    .bytes(distribution.signingKey)
    .finish();
}

/**
 * @throws {CryptoError} `InvalidMessage` when it does not parse; `UnsupportedVersion` when newer.
 */
export function parseSenderKeyDistribution(bytes: Uint8Array): SenderKeyDistribution {
  const reader = new ByteReader(bytes, "InvalidMessage");
  reader.version(SENDER_KEY_DISTRIBUTION_VERSION);
  const groupId = reader.bytes(UUID_BYTES);
  const distributionId = reader.bytes(DISTRIBUTION_ID_BYTES);
  const iteration = reader.u32();
  const chainKey = reader.bytes(SENDER_CHAIN_KEY_BYTES);
  const signingKey = reader.bytes(SIGNING_PUBLIC_KEY_BYTES);
  reader.end();
  return { groupId, distributionId, iteration, chainKey, signingKey };
}
