/**
 * The initiator's messages until the first reply: the PQXDH handshake fields around a ratchet
 * message.
 *
 * Serialized: 0x01 ‖ IK_A 33 ‖ EK_A 33 ‖ signed prekey id u32 ‖ has one-time prekey u8 ‖
 * [one-time prekey id u32] ‖ ML-KEM prekey id u32 ‖ CT 1088 ‖ ratchet message (the rest).
 */
import { ByteReader, ByteWriter } from "../bytes";
import { IDENTITY_KEY_ENCODED_BYTES, IdentityKey } from "../keys/identity-key";
import { ML_KEM_768 } from "../keys/ml-kem";
import { X25519_ENCODED_BYTES, X25519PublicKey } from "../keys/x25519";
import type { PqxdhHandshake } from "./pqxdh";

export const PRE_KEY_MESSAGE_VERSION = 1;

export interface PreKeyMessage extends PqxdhHandshake {
  readonly message: Uint8Array;
}

export function serializePreKeyMessage(message: PreKeyMessage): Uint8Array {
  const writer = new ByteWriter(1200 + message.message.length)
    .u8(PRE_KEY_MESSAGE_VERSION)
    .bytes(message.identityKey.serialize())
    .bytes(message.baseKey.serialize())
    .u32(message.signedPreKeyId);
  if (message.preKeyId !== undefined) writer.u8(1).u32(message.preKeyId);
  else writer.u8(0);
  return writer.u32(message.kyberPreKeyId).bytes(message.kyberCiphertext).bytes(message.message).finish();
}

/**
 * @throws {CryptoError} `InvalidMessage` on wrong lengths or encodings, `UnsupportedVersion`
 *   for a newer version; `InvalidKey` for an invalid identity key.
 */
export function deserializePreKeyMessage(bytes: Uint8Array): PreKeyMessage {
  const reader = new ByteReader(bytes, "InvalidMessage");
  reader.version(PRE_KEY_MESSAGE_VERSION);
  const identityKey = IdentityKey.deserialize(reader.bytes(IDENTITY_KEY_ENCODED_BYTES));
  const baseKey = X25519PublicKey.deserialize(reader.bytes(X25519_ENCODED_BYTES));
  const signedPreKeyId = reader.u32();
  const preKeyId = reader.flag() ? reader.u32() : undefined;
  const kyberPreKeyId = reader.u32();
  const kyberCiphertext = reader.bytes(ML_KEM_768.ciphertextBytes);
  const message = reader.rest();
  return {
    identityKey,
    baseKey,
    signedPreKeyId,
    ...(preKeyId !== undefined ? { preKeyId } : {}),
    kyberPreKeyId,
    kyberCiphertext,
    message,
  };
}
