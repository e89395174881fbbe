/**
 * Sealed sender: the envelope the server stores names only the recipient device (in its row,
 * not in these bytes); who sent it is inside, authenticated by the sender's identity key.
 *
 *   E = fresh X25519 key pair;  okm = HKDF-SHA-256(IKM = DH(E, IK_B as X25519), salt = 32 zero
 *   bytes, info = "Hearth_SealedSender_v1" ‖ 0x05 ‖ E_pub ‖ Encode(IK_B), 56 bytes)
 *   key = okm[0..32], nonce = okm[32..56]  (both unique to E; nothing random needs sending)
 *
 *   content   = 0x01 ‖ Encode(IK_A) 33 ‖ user id (u16 length ‖ UTF-8) ‖ device id u32 ‖
 *               timestamp u64 (ms) ‖ message type u8 (1 message, 2 prekey, 3 senderkey) ‖ length u32 ‖ message
 *   signature = Ed25519(IK_A, "Hearth_SealedSender_Sender_v1" ‖ 0x00 ‖ Encode(IK_B) ‖ content)
 *   envelope  = 0x01 ‖ 0x05 ‖ E_pub ‖ XChaCha20-Poly1305(key, nonce, pad(content ‖ signature),
 *               AD = 0x01 ‖ 0x05 ‖ E_pub)
 *
 * Signing over the recipient's key stops the recipient from re-sealing the content to someone
 * else as if it came from the sender. It also makes the content non-repudiable towards the
 * recipient (see docs/e2ee-protocol.md, "Deniability").
 */
import { aeadDecrypt, aeadEncrypt, AEAD_TAG_BYTES } from "../aead";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { ByteReader, ByteWriter, wipe } from "../bytes";
import { CryptoError, isCryptoError } from "../errors";
import { hkdfSha256, KDF_LABELS } from "../kdf";
import { IDENTITY_KEY_ENCODED_BYTES, IdentityKey, type IdentityKeyPair } from "../keys/identity-key";
import { X25519_ENCODED_BYTES, X25519KeyPair, X25519PublicKey } from "../keys/x25519";
import type { RandomSource } from "../random";
import { CIPHERTEXT_MESSAGE_TYPE_CODES, ciphertextMessageTypeFromCode, type CiphertextMessage } from "../session/ciphertext-message";
import { pad, unpad } from "./padding";

export const SEALED_SENDER_VERSION = 1;
export const SEALED_SENDER_SIGNATURE_LABEL = "Hearth_SealedSender_Sender_v1";
const ENVELOPE_HEADER_BYTES = 1 + X25519_ENCODED_BYTES;
const MAX_USER_ID_BYTES = 256;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const SALT = new Uint8Array(32);
const INFO_PREFIX = utf8ToBytes(KDF_LABELS.sealedSender);

export interface SealedSenderContent {
  readonly senderIdentityKey: IdentityKey;
  readonly senderUserId: string;
  readonly senderDeviceId: number;
  /** Milliseconds since the epoch, as the sender's clock said. */
  readonly timestamp: number;
  readonly message: CiphertextMessage;
}

function envelopeKeys(dh: Uint8Array, header: Uint8Array, recipient: IdentityKey): { key: Uint8Array; nonce: Uint8Array } {
  const okm = hkdfSha256(dh, SALT, concatBytes(INFO_PREFIX, header.subarray(1), recipient.serialize()), 56);
  return { key: okm.subarray(0, 32), nonce: okm.subarray(32, 56) };
}

function serializeContent(content: SealedSenderContent): Uint8Array {
  const userId = utf8ToBytes(content.senderUserId);
  if (userId.length > MAX_USER_ID_BYTES) throw new RangeError("user id too long");
  return new ByteWriter(64 + userId.length + content.message.body.length)
    .u8(SEALED_SENDER_VERSION)
    .bytes(content.senderIdentityKey.serialize())
    .u16(userId.length)
    .bytes(userId)
    .u32(content.senderDeviceId)
    .u64(content.timestamp)
    .u8(CIPHERTEXT_MESSAGE_TYPE_CODES[content.message.type])
    .lengthPrefixed(content.message.body)
    .finish();
}

function parseContent(bytes: Uint8Array): SealedSenderContent {
  const reader = new ByteReader(bytes, "InvalidEnvelope");
  reader.version(SEALED_SENDER_VERSION);
  const senderIdentityKey = IdentityKey.deserialize(reader.bytes(IDENTITY_KEY_ENCODED_BYTES));
  const senderUserId = reader.string(MAX_USER_ID_BYTES);
  const senderDeviceId = reader.u32();
  const timestamp = reader.u64();
  const type = ciphertextMessageTypeFromCode(reader.u8());
  if (!type) throw new CryptoError("InvalidEnvelope", "unknown message type");
  const body = reader.lengthPrefixed(MAX_MESSAGE_BYTES);
  reader.end();
  return { senderIdentityKey, senderUserId, senderDeviceId, timestamp, message: { type, body } };
}

/**
 * Seals `message` for the device whose identity key is `recipientIdentityKey`.
 * @throws {CryptoError} `InvalidKey` for a low-order recipient key.
 */
export function sealSenderEnvelope(options: {
  senderIdentity: IdentityKeyPair;
  senderUserId: string;
  senderDeviceId: number;
  timestamp: number;
  message: CiphertextMessage;
  recipientIdentityKey: IdentityKey;
  random: RandomSource;
}): Uint8Array {
  const { senderIdentity, recipientIdentityKey } = options;
  const content = serializeContent({ ...options, senderIdentityKey: senderIdentity.identityKey });
  const signature = senderIdentity.sign(SEALED_SENDER_SIGNATURE_LABEL, recipientIdentityKey.serialize(), content);
  const padded = pad(concatBytes(content, signature));

  const ephemeral = X25519KeyPair.generate(options.random);
  const header = concatBytes(Uint8Array.of(SEALED_SENDER_VERSION), ephemeral.publicKey.serialize());
  const dh = ephemeral.agree(X25519PublicKey.fromBytes(recipientIdentityKey.dhPublicKey));
  const { key, nonce } = envelopeKeys(dh, header, recipientIdentityKey);
  const ciphertext = aeadEncrypt(key, nonce, padded, header);
  wipe(dh, key, ephemeral.privateKey, padded);
  return concatBytes(header, ciphertext);
}

/**
 * Opens an envelope addressed to `recipientIdentity` and authenticates its sender. Whether that
 * identity key belongs to the claimed user and device is for the session layer and the
 * identity store to decide.
 * @throws {CryptoError} `InvalidEnvelope` when it does not parse, decrypt or verify;
 *   `UnsupportedVersion` for a newer envelope.
 */
export function openSealedEnvelope(options: { envelope: Uint8Array; recipientIdentity: IdentityKeyPair }): SealedSenderContent {
  const { envelope, recipientIdentity } = options;
  if (envelope.length < ENVELOPE_HEADER_BYTES + AEAD_TAG_BYTES) throw new CryptoError("InvalidEnvelope", "envelope too short");
  if (envelope[0]! > SEALED_SENDER_VERSION) throw new CryptoError("UnsupportedVersion", "newer envelope version");
  if (envelope[0] !== SEALED_SENDER_VERSION) throw new CryptoError("InvalidEnvelope", "unknown envelope version");
  const header = envelope.subarray(0, ENVELOPE_HEADER_BYTES);
  let dh: Uint8Array;
  try {
    dh = recipientIdentity.agree(X25519PublicKey.deserialize(header.subarray(1)));
  } catch (error) {
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError("InvalidEnvelope", "bad ephemeral key");
    throw error;
  }
  const { key, nonce } = envelopeKeys(dh, header, recipientIdentity.identityKey);
  let padded: Uint8Array;
  try {
    padded = aeadDecrypt(key, nonce, envelope.subarray(ENVELOPE_HEADER_BYTES), header, "InvalidEnvelope");
  } finally {
    wipe(dh, key);
  }
  const plaintext = unpad(padded);
  if (plaintext.length < 64) throw new CryptoError("InvalidEnvelope", "no signature");
  const contentBytes = plaintext.subarray(0, plaintext.length - 64);
  const signature = plaintext.subarray(plaintext.length - 64);
  let content: SealedSenderContent;
  try {
    content = parseContent(contentBytes);
  } catch (error) {
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError("InvalidEnvelope", "bad sender identity key");
    throw error;
  }
  if (!content.senderIdentityKey.verify(signature, SEALED_SENDER_SIGNATURE_LABEL, recipientIdentity.identityKey.serialize(), contentBytes)) {
    throw new CryptoError("InvalidEnvelope", "sender signature does not verify");
  }
  return content;
}
