/**
 * Session encryption wrapped in sealed sender: what the chat module sends and stores.
 * The receiving side learns the sender from inside the envelope, asks its caller whether to believe
 * that sender, and only then decrypts with the session for that (user, device), which must be with
 * the identity key that signed the envelope. Group messages ride in the same envelopes with type
 * "senderkey"; their decryption belongs to `groups/received-sender-keys.ts`, not to a session.
 */
import { CryptoError } from "../errors";
import type { IdentityKey } from "../keys/identity-key";
import { openSealedEnvelope, sealSenderEnvelope } from "../sealed-sender/sealed-sender";
import type { ProtocolAddress } from "../protocol-address";
import type { RandomSource } from "../random";
import { loadCryptoCore } from "../sodium";
import type { ProtocolStores } from "../stores/protocol-stores";
import type { CiphertextMessage } from "./ciphertext-message";
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
 * Seals a group's SenderKeyMessage (`OwnSenderKey.encrypt`) for one recipient device, signed by
 * this device's identity key like any envelope; no session is involved (the sender key was
 * distributed over one). `sender` is this device's own address.
 * @throws {CryptoError} `InvalidKey` for a low-order recipient key.
 */
export async function sealSenderKeyMessage(options: {
  recipientIdentityKey: IdentityKey;
  sender: ProtocolAddress;
  message: Uint8Array;
  stores: ProtocolStores;
  random: RandomSource;
  now: number;
}): Promise<Uint8Array> {
  await loadCryptoCore();
  return sealSenderEnvelope({
    senderIdentity: await options.stores.identity.getIdentityKeyPair(),
    senderUserId: options.sender.userId,
    senderDeviceId: options.sender.deviceId,
    timestamp: options.now,
    message: { type: "senderkey", body: options.message },
    recipientIdentityKey: options.recipientIdentityKey,
    random: options.random,
  });
}

/**
 * Decides whether a claimed sender may be believed: typically, whether the device is in the
 * sender's current signed device list with this identity key. The crypto core has no such list.
 */
export type AcceptSender = (sender: ProtocolAddress, senderIdentityKey: IdentityKey) => boolean | Promise<boolean>;

/** An envelope opened and its signature checked, but its message not yet decrypted. */
export interface OpenedEnvelope {
  readonly sender: ProtocolAddress;
  readonly senderIdentityKey: IdentityKey;
  readonly timestamp: number;
  readonly message: CiphertextMessage;
}

/**
 * Phase one of receiving: opens a sealed envelope addressed to this device and verifies the
 * sender's signature. Reads only this device's key pair; reads and stores no session or identity,
 * so the caller may take its time (and the network) to decide whether to believe the sender.
 * @throws {CryptoError} `InvalidEnvelope`.
 */
export async function openSealedMessage(options: { envelope: Uint8Array; stores: ProtocolStores }): Promise<OpenedEnvelope> {
  await loadCryptoCore();
  const content = openSealedEnvelope({
    envelope: options.envelope,
    recipientIdentity: await options.stores.identity.getIdentityKeyPair(),
  });
  return {
    sender: { userId: content.senderUserId, deviceId: content.senderDeviceId },
    senderIdentityKey: content.senderIdentityKey,
    timestamp: content.timestamp,
    message: content.message,
  };
}

/**
 * Phase two: decrypts the message of an opened envelope. `acceptSender` runs first, and a sender it
 * refuses leaves every store as it was: otherwise anyone holding a person's public bundle could
 * plant a session under someone else's device, trusted on first use. A group message
 * (`opened.message.type === "senderkey"`) is not for this function: the caller checks its sender
 * and decrypts it with the sender's `ReceivedSenderKeys`.
 * @throws {CryptoError} `InvalidMessage` for a sender-key message; `UntrustedIdentity` (refused by
 *   `acceptSender`, or the signing identity is not the one trusted for the claimed sender), and
 *   the errors of `decryptMessage`.
 */
export async function decryptSealedMessage(options: {
  opened: OpenedEnvelope;
  stores: ProtocolStores;
  random: RandomSource;
  /** Milliseconds since the epoch (see `decryptMessage`). */
  now: number;
  acceptSender: AcceptSender;
}): Promise<SealedMessage> {
  const { opened } = options;
  if (opened.message.type === "senderkey") throw new CryptoError("InvalidMessage", "a sender-key message has no session");
  if (!(await options.acceptSender(opened.sender, opened.senderIdentityKey))) throw new CryptoError("UntrustedIdentity", "sender not accepted");
  const plaintext = await decryptMessage({
    address: opened.sender,
    message: opened.message,
    stores: options.stores,
    random: options.random,
    now: options.now,
    expectedIdentity: opened.senderIdentityKey,
  });
  return { sender: opened.sender, senderIdentityKey: opened.senderIdentityKey, timestamp: opened.timestamp, plaintext };
}

/**
 * Both phases: opens a sealed envelope addressed to this device and, when `acceptSender` believes
 * the sender, decrypts the message inside (a pairwise one only, as `decryptSealedMessage`).
 * @throws {CryptoError} as `openSealedMessage` and `decryptSealedMessage`.
 */
export async function sealedDecrypt(options: {
  envelope: Uint8Array;
  stores: ProtocolStores;
  random: RandomSource;
  now: number;
  acceptSender: AcceptSender;
}): Promise<SealedMessage> {
  const opened = await openSealedMessage(options);
  return decryptSealedMessage({ ...options, opened });
}
