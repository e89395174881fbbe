/**
 * Sealed sender: the envelope the server stores names only the recipient device (in its row,
 * not in these bytes); who sent it is inside, authenticated by the sender's identity key.
 *
 * Version 2 (sealed now):
 *
 *   E = fresh X25519 key pair;  okm = HKDF-SHA-256(IKM = DH(E, IK_B as X25519), salt = 32 zero
 *   bytes, info = "Hearth_SealedSender_v2" ‖ 0x05 ‖ E_pub ‖ Encode(IK_B), 56 bytes)
 *   key = okm[0..32], nonce = okm[32..56]  (both unique to E; nothing random needs sending)
 *
 *   content  = 0x02 ‖ Encode(IK_A) 33 ‖ user id (u16 length ‖ UTF-8) ‖ device id u32 ‖
 *              timestamp u64 (ms) ‖ message type u8 (1 message, 2 prekey, 3 senderkey) ‖ length u32 ‖ message
 *   mac key  = HKDF-SHA-256(IKM = DH(IK_A, IK_B), salt = 0x02 ‖ 0x05 ‖ E_pub,
 *              info = "Hearth_SealedSender_v2_Sender" ‖ Encode(IK_A) ‖ Encode(IK_B), 32 bytes)
 *   mac      = HMAC-SHA-256(mac key, content)
 *   envelope = 0x02 ‖ 0x05 ‖ E_pub ‖ XChaCha20-Poly1305(key, nonce, pad(content ‖ mac), AD = 0x02 ‖ 0x05 ‖ E_pub)
 *
 * The sender is authenticated by the static-static DH, as in Signal's sealed sender: only the
 * holder of IK_A's or IK_B's private key can make the MAC. So the recipient cannot show anyone
 * that the sender wrote it (the recipient could have made it: deniability), cannot re-seal it to
 * a third device as if from the sender (that needs DH(IK_A, IK_C)), and an envelope reflected back
 * to the sender does not verify (the info orders sender and recipient). The DH is the same for
 * every message between two devices, so each side computes it once (IdentityKeyPair.staticSecretWith):
 * a message costs two X25519 operations on the sender's side and one on the recipient's, and no
 * signature (version 1 signed with Ed25519, about a third of a message's cost). Someone holding
 * IK_B's private key could seal as anyone to B; the message inside still needs a session with the
 * claimed sender, whose PQXDH keys they do not have (docs/e2ee-protocol.md, "Sealed sender").
 *
 * Version 1 (still opened, for envelopes sealed before version 2: the same, with label
 * "Hearth_SealedSender_v1", 0x01 for 0x02, and instead of the mac an Ed25519 signature
 * Sign(IK_A, "Hearth_SealedSender_Sender_v1" ‖ 0x00 ‖ Encode(IK_B) ‖ content), 64 bytes).
 */
import { aeadDecrypt, aeadEncrypt, AEAD_TAG_BYTES } from "../aead";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { ByteReader, ByteWriter, bytesEqual, wipe } from "../bytes";
import { CryptoError, isCryptoError } from "../errors";
import { hkdfSha256, hmacSha256, KDF_LABELS } from "../kdf";
import { IDENTITY_KEY_ENCODED_BYTES, IdentityKey, type IdentityKeyPair } from "../keys/identity-key";
import { X25519_ENCODED_BYTES, X25519KeyPair, X25519PublicKey } from "../keys/x25519";
import type { RandomSource } from "../random";
import { CIPHERTEXT_MESSAGE_TYPE_CODES, ciphertextMessageTypeFromCode, type CiphertextMessage } from "../session/ciphertext-message";
import { pad, unpad } from "./padding";

/** The version sealed now; version 1 is still opened. */
export const SEALED_SENDER_VERSION = 2;
/** Version 1's signature label (version 1 envelopes are still opened). */
export const SEALED_SENDER_SIGNATURE_LABEL = "Hearth_SealedSender_Sender_v1";
const SIGNATURE_BYTES = 64;
const MAC_BYTES = 32;
const ENVELOPE_HEADER_BYTES = 1 + X25519_ENCODED_BYTES;
const MAX_USER_ID_BYTES = 256;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const SALT = new Uint8Array(32);
const INFO_PREFIX: Record<1 | 2, Uint8Array> = { 1: utf8ToBytes(KDF_LABELS.sealedSender), 2: utf8ToBytes(KDF_LABELS.sealedSenderV2) };
const MAC_INFO_PREFIX = utf8ToBytes(KDF_LABELS.sealedSenderV2Sender);

export interface SealedSenderContent {
  readonly senderIdentityKey: IdentityKey;
  readonly senderUserId: string;
  readonly senderDeviceId: number;
  /** Milliseconds since the epoch, as the sender's clock said. */
  readonly timestamp: number;
  readonly message: CiphertextMessage;
}

function envelopeKeys(version: 1 | 2, dh: Uint8Array, header: Uint8Array, recipient: IdentityKey): { key: Uint8Array; nonce: Uint8Array } {
  const okm = hkdfSha256(dh, SALT, concatBytes(INFO_PREFIX[version], header.subarray(1), recipient.serialize()), 56);
  return { key: okm.subarray(0, 32), nonce: okm.subarray(32, 56) };
}

/** Version 2's sender MAC over `content`, keyed by the static DH of sender and recipient and bound to this envelope's header. */
function senderMac(staticSecret: Uint8Array, header: Uint8Array, sender: IdentityKey, recipient: IdentityKey, content: Uint8Array): Uint8Array {
  const macKey = hkdfSha256(staticSecret, header, concatBytes(MAC_INFO_PREFIX, sender.serialize(), recipient.serialize()), 32);
  const mac = hmacSha256(macKey, content);
  wipe(macKey, staticSecret);
  return mac;
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

function parseContent(version: 1 | 2, bytes: Uint8Array): SealedSenderContent {
  const reader = new ByteReader(bytes, "InvalidEnvelope");
  reader.version(version);
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
  const ephemeral = X25519KeyPair.generate(options.random);
  const header = concatBytes(Uint8Array.of(SEALED_SENDER_VERSION), ephemeral.publicKey.serialize());
  const content = serializeContent({ ...options, senderIdentityKey: senderIdentity.identityKey });
  const mac = senderMac(senderIdentity.staticSecretWith(recipientIdentityKey), header, senderIdentity.identityKey, recipientIdentityKey, content);
  const padded = pad(concatBytes(content, mac));

  const dh = ephemeral.agree(X25519PublicKey.fromBytes(recipientIdentityKey.dhPublicKey));
  const { key, nonce } = envelopeKeys(SEALED_SENDER_VERSION, dh, header, recipientIdentityKey);
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
  const version = envelope[0]!;
  if (version > SEALED_SENDER_VERSION) throw new CryptoError("UnsupportedVersion", "newer envelope version");
  if (version !== 1 && version !== 2) throw new CryptoError("InvalidEnvelope", "unknown envelope version");
  const header = envelope.subarray(0, ENVELOPE_HEADER_BYTES);
  let dh: Uint8Array;
  try {
    dh = recipientIdentity.agree(X25519PublicKey.deserialize(header.subarray(1)));
  } catch (error) {
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError("InvalidEnvelope", "bad ephemeral key");
    throw error;
  }
  const { key, nonce } = envelopeKeys(version, dh, header, recipientIdentity.identityKey);
  let padded: Uint8Array;
  try {
    padded = aeadDecrypt(key, nonce, envelope.subarray(ENVELOPE_HEADER_BYTES), header, "InvalidEnvelope");
  } finally {
    wipe(dh, key);
  }
  const plaintext = unpad(padded);
  const proofBytes = version === 2 ? MAC_BYTES : SIGNATURE_BYTES;
  if (plaintext.length < proofBytes) throw new CryptoError("InvalidEnvelope", "no sender proof");
  const contentBytes = plaintext.subarray(0, plaintext.length - proofBytes);
  const proof = plaintext.subarray(plaintext.length - proofBytes);
  const recipientKey = recipientIdentity.identityKey;
  try {
    const content = parseContent(version, contentBytes);
    const sender = content.senderIdentityKey;
    const genuine =
      version === 2
        ? bytesEqual(senderMac(recipientIdentity.staticSecretWith(sender), header, sender, recipientKey, contentBytes), proof)
        : sender.verify(proof, SEALED_SENDER_SIGNATURE_LABEL, recipientKey.serialize(), contentBytes);
    if (!genuine) throw new CryptoError("InvalidEnvelope", "the sender is not authenticated");
    return content;
  } catch (error) {
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError("InvalidEnvelope", "bad sender identity key");
    throw error;
  }
}
