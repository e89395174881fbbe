/**
 * Sessions over the stores: start one from a prekey bundle, encrypt, decrypt. Every function
 * loads what it needs through `ProtocolStores`, changes the session in memory, and stores it
 * only after the operation succeeded (a failed decryption stores nothing and deletes nothing).
 */
import { CryptoError, isCryptoError } from "../errors";
import { IdentityKey } from "../keys/identity-key";
import type { PreKeyBundle } from "../keys/pre-key-bundle";
import { X25519PublicKey } from "../keys/x25519";
import { pqxdhInitiate, pqxdhRespond } from "../pqxdh/pqxdh";
import { deserializePreKeyMessage, serializePreKeyMessage } from "../pqxdh/pre-key-message";
import type { ProtocolAddress } from "../protocol-address";
import { initializeInitiatorSession, initializeResponderSession, ratchetDecrypt, ratchetEncrypt } from "../ratchet/double-ratchet";
import type { RandomSource } from "../random";
import { loadCryptoCore } from "../sodium";
import type { ProtocolStores } from "../stores/protocol-stores";
import type { CiphertextMessage } from "./ciphertext-message";
import { SessionRecord } from "./session-record";

interface EncryptOptions {
  address: ProtocolAddress;
  plaintext: Uint8Array;
  stores: ProtocolStores;
  random: RandomSource;
}

interface DecryptOptions {
  address: ProtocolAddress;
  message: CiphertextMessage;
  stores: ProtocolStores;
  random: RandomSource;
  /** Milliseconds since the epoch: dates skipped message keys and expires old ones. */
  now: number;
  /** When given, a message from any other identity is refused with UntrustedIdentity. */
  expectedIdentity?: IdentityKey;
}

/**
 * Starts a session with `address` from its prekey bundle (PQXDH as initiator). The first
 * messages of the session are prekey messages until the other side replies.
 * @throws {CryptoError} `UntrustedIdentity` when the bundle's identity key is not trusted for
 *   `address`; `InvalidSignature` when its prekey signatures fail; `InvalidKey`.
 */
export async function processPreKeyBundle(options: {
  address: ProtocolAddress;
  bundle: PreKeyBundle;
  stores: ProtocolStores;
  random: RandomSource;
}): Promise<void> {
  const { address, bundle, stores, random } = options;
  await loadCryptoCore();
  if (!(await stores.identity.isTrustedIdentity(address, bundle.identityKey, "sending"))) {
    throw new CryptoError("UntrustedIdentity");
  }
  const identityKeyPair = await stores.identity.getIdentityKeyPair();
  const pqxdh = pqxdhInitiate({ identityKeyPair, bundle, random });
  const { handshake } = pqxdh;
  const state = initializeInitiatorSession({
    sharedKey: pqxdh.sharedKey,
    localIdentity: identityKeyPair.identityKey,
    remoteIdentity: bundle.identityKey,
    remoteSignedPreKey: pqxdh.remoteSignedPreKey,
    baseKey: handshake.baseKey,
    pendingPreKey: {
      signedPreKeyId: handshake.signedPreKeyId,
      ...(handshake.preKeyId !== undefined ? { preKeyId: handshake.preKeyId } : {}),
      kyberPreKeyId: handshake.kyberPreKeyId,
      kyberCiphertext: handshake.kyberCiphertext,
    },
    random,
  });
  pqxdh.sharedKey.fill(0);
  const record = (await stores.sessions.loadSession(address)) ?? new SessionRecord();
  record.promote(state);
  await stores.sessions.storeSession(address, record);
  await stores.identity.saveIdentity(address, bundle.identityKey);
}

/**
 * Encrypts `plaintext` for `address` with the current session.
 * @throws {CryptoError} `NoSession`; `UntrustedIdentity` when the session's identity key is no
 *   longer trusted for `address`.
 */
export async function encryptMessage(options: EncryptOptions): Promise<CiphertextMessage> {
  return (await encryptWithSession(options)).message;
}

/** `encryptMessage`, also returning the identity key the session is with (for sealed sender). */
export async function encryptWithSession(options: EncryptOptions): Promise<{ message: CiphertextMessage; remoteIdentity: IdentityKey }> {
  const { address, plaintext, stores, random } = options;
  await loadCryptoCore();
  const record = await stores.sessions.loadSession(address);
  const state = record?.current;
  if (!record || !state) throw new CryptoError("NoSession");
  const remoteIdentity = state.remoteIdentityKey();
  if (!(await stores.identity.isTrustedIdentity(address, remoteIdentity, "sending"))) {
    throw new CryptoError("UntrustedIdentity");
  }
  const body = ratchetEncrypt(state, plaintext, random);
  const pending = state.pendingPreKey;
  const message: CiphertextMessage = pending
    ? {
        type: "prekey",
        body: serializePreKeyMessage({
          identityKey: IdentityKey.fromStorage(state.localIdentity),
          baseKey: X25519PublicKey.fromBytes(state.baseKey),
          ...pending,
          message: body,
        }),
      }
    : { type: "message", body };
  await stores.sessions.storeSession(address, record);
  return { message, remoteIdentity };
}

/**
 * Decrypts a message from `address`. A prekey message from a new handshake creates a session
 * (PQXDH as responder), and once its first message authenticates, the one-time prekeys it used
 * are deleted. `expectedIdentity` (from a sealed-sender envelope) must be the session's.
 * @throws {CryptoError} `InvalidMessage`, `DuplicatedMessage`, `TooManySkippedMessages`,
 *   `NoSession`, `InvalidKeyId` (prekey gone), `UntrustedIdentity`, `UnsupportedVersion`.
 */
export async function decryptMessage(options: DecryptOptions): Promise<Uint8Array> {
  await loadCryptoCore();
  return options.message.type === "prekey" ? decryptPreKeyMessage(options) : decryptRatchetMessage(options);
}

async function decryptPreKeyMessage(options: DecryptOptions): Promise<Uint8Array> {
  const { address, stores, random, now, expectedIdentity } = options;
  const message = deserializePreKeyMessage(options.message.body);
  if (expectedIdentity && !expectedIdentity.equals(message.identityKey)) throw new CryptoError("UntrustedIdentity");
  if (!(await stores.identity.isTrustedIdentity(address, message.identityKey, "receiving"))) {
    throw new CryptoError("UntrustedIdentity");
  }
  const record = (await stores.sessions.loadSession(address)) ?? new SessionRecord();

  const existing = record.findByBaseKey(message.baseKey.bytes);
  if (existing) {
    if (!existing.remoteIdentityKey().equals(message.identityKey)) throw new CryptoError("InvalidMessage", "handshake identity mismatch");
    const plaintext = ratchetDecrypt(existing, message.message, random, now);
    record.promote(existing);
    await stores.sessions.storeSession(address, record);
    return plaintext;
  }

  if (await stores.kyberPreKeys.hasUsedKyberPreKey(message.kyberPreKeyId, message.baseKey.bytes)) {
    throw new CryptoError("DuplicatedMessage", "handshake already used");
  }
  const identityKeyPair = await stores.identity.getIdentityKeyPair();
  const pqxdh = await pqxdhRespond({ identityKeyPair, handshake: message, stores });
  const state = initializeResponderSession({
    sharedKey: pqxdh.sharedKey,
    localIdentity: identityKeyPair.identityKey,
    remoteIdentity: message.identityKey,
    signedPreKey: pqxdh.signedPreKey.keyPair,
    baseKey: message.baseKey,
  });
  pqxdh.sharedKey.fill(0);
  const plaintext = ratchetDecrypt(state, message.message, random, now);
  record.promote(state);
  await stores.sessions.storeSession(address, record);
  if (message.preKeyId !== undefined) await stores.preKeys.removePreKey(message.preKeyId);
  await stores.kyberPreKeys.markKyberPreKeyUsed(message.kyberPreKeyId, message.signedPreKeyId, message.baseKey.bytes);
  await stores.identity.saveIdentity(address, message.identityKey);
  return plaintext;
}

async function decryptRatchetMessage(options: DecryptOptions): Promise<Uint8Array> {
  const { address, stores, random, now, expectedIdentity } = options;
  const record = await stores.sessions.loadSession(address);
  const states = record?.states() ?? [];
  if (!record || states.length === 0) throw new CryptoError("NoSession");
  let firstError: unknown;
  for (const state of states) {
    const remoteIdentity = state.remoteIdentityKey();
    if (expectedIdentity && !expectedIdentity.equals(remoteIdentity)) continue;
    if (!(await stores.identity.isTrustedIdentity(address, remoteIdentity, "receiving"))) {
      firstError ??= new CryptoError("UntrustedIdentity");
      continue;
    }
    let plaintext: Uint8Array;
    try {
      plaintext = ratchetDecrypt(state, options.message.body, random, now);
    } catch (error) {
      if (isCryptoError(error, "DuplicatedMessage") || !isCryptoError(error)) throw error;
      firstError ??= error;
      continue;
    }
    record.promote(state);
    await stores.sessions.storeSession(address, record);
    return plaintext;
  }
  throw firstError ?? new CryptoError(expectedIdentity ? "UntrustedIdentity" : "NoSession");
}
