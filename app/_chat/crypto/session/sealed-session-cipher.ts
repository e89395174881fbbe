/**
 * Session encryption wrapped in sealed sender: what the chat module sends and stores.
 * The receiving side learns the sender from inside the envelope and decrypts with the session
 * for that (user, device), which must be with the identity key that signed the envelope.
 */
import { openSealedEnvelope, sealSenderEnvelope } from "../sealed-sender/sealed-sender";
import type { IdentityKey } from "../keys/identity-key";
import type { ProtocolAddress } from "../protocol-address";
import type { RandomSource } from "../random";
import { loadCryptoCore } from "../sodium";
import type { ProtocolStores } from "../stores/protocol-stores";
import { decryptMessage, encryptWithSession } from "./session-cipher";

export interface SealedMessage {
  readonly sender: ProtocolAddress;
  readonly senderIdentityKey: IdentityKey;
  /** The sender's clock, in milliseconds since the epoch. */
  readonly timestamp: number;
  readonly plaintext: Uint8Array;
}

/**
 * Encrypts `plaintext` for `address` and seals it. `sender` is this device's own address.
 * @throws {CryptoError} as `encryptMessage`.
 */
export async function sealedEncrypt(options: {
  address: ProtocolAddress;
  sender: ProtocolAddress;
  plaintext: Uint8Array;
  stores: ProtocolStores;
  random: RandomSource;
  now: number;
}): Promise<Uint8Array> {
  const { message, remoteIdentity } = await encryptWithSession(options);
  return sealSenderEnvelope({
    senderIdentity: await options.stores.identity.getIdentityKeyPair(),
    senderUserId: options.sender.userId,
    senderDeviceId: options.sender.deviceId,
    timestamp: options.now,
    message,
    recipientIdentityKey: remoteIdentity,
    random: options.random,
  });
}

/**
 * Opens a sealed envelope addressed to this device and decrypts the message inside.
 * @throws {CryptoError} `InvalidEnvelope`, `UntrustedIdentity` (the signing identity is not the
 *   one trusted for the claimed sender), and the errors of `decryptMessage`.
 */
export async function sealedDecrypt(options: {
  envelope: Uint8Array;
  stores: ProtocolStores;
  random: RandomSource;
}): Promise<SealedMessage> {
  await loadCryptoCore();
  const content = openSealedEnvelope({
    envelope: options.envelope,
    recipientIdentity: await options.stores.identity.getIdentityKeyPair(),
  });
  const sender = { userId: content.senderUserId, deviceId: content.senderDeviceId };
  const plaintext = await decryptMessage({
    address: sender,
    message: content.message,
    stores: options.stores,
    random: options.random,
    expectedIdentity: content.senderIdentityKey,
  });
  return { sender, senderIdentityKey: content.senderIdentityKey, timestamp: content.timestamp, plaintext };
}
