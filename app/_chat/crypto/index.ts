/**
 * The crypto core of the chat module: the only code that imports libsodium or ML-KEM, and the
 * only entry the rest of the chat module uses. Pure: no persistence (stores are passed in), no
 * clock and no hidden randomness (`now` and `random` are parameters), no logging.
 * See docs/e2ee-protocol.md for the protocol and every byte format.
 */
export { loadCryptoCore } from "./sodium";
export { CryptoError, isCryptoError, type CryptoErrorCode } from "./errors";
export { systemRandom, type RandomSource } from "./random";
export type { ProtocolAddress } from "./protocol-address";

export { IdentityKey, IdentityKeyPair } from "./keys/identity-key";
export { SignedPreKeyRecord, SIGNED_PRE_KEY_ROTATION_MS, type SignedPreKeyPublic } from "./keys/signed-pre-key-record";
export { PreKeyRecord, generatePreKeys, type PreKeyPublic } from "./keys/pre-key-record";
export { KyberPreKeyRecord, generateKyberPreKeys, type KyberPreKeyKind, type KyberPreKeyPublic } from "./keys/kyber-pre-key-record";
export { KyberPublicKey } from "./keys/ml-kem";
export { X25519PublicKey } from "./keys/x25519";
export { deserializePreKeyBundle, serializePreKeyBundle, verifyPreKeyBundle, type PreKeyBundle } from "./keys/pre-key-bundle";

export type { CiphertextMessage, CiphertextMessageType } from "./session/ciphertext-message";
export { SessionRecord } from "./session/session-record";
export { decryptMessage, encryptMessage, processPreKeyBundle } from "./session/session-cipher";
export {
  decryptSealedMessage,
  openSealedMessage,
  sealedDecrypt,
  sealedEncrypt,
  type AcceptSender,
  type OpenedEnvelope,
  type SealedMessage,
} from "./session/sealed-session-cipher";

// Groups: sender keys and signed group changes.
export { sealSenderKeyMessage } from "./session/sealed-session-cipher";
export { OwnSenderKey } from "./groups/own-sender-key";
export { MAX_SENDER_KEY_CHAINS, MAX_SENDER_KEY_FORWARD_JUMP, MAX_SKIPPED_SENDER_KEYS, ReceivedSenderKeys } from "./groups/received-sender-keys";
export { senderKeyMessageGroupId } from "./groups/sender-key-message";
export { signGroupChange, verifyGroupChange } from "./groups/group-change";
export { createFrankingKey, frankingCommitment, openFrankingTag, type FrankedMessage } from "./franking/franking";

export { compareScannedSafetyNumber, computeSafetyNumber, formatSafetyNumber, type SafetyNumber, type SafetyNumberParty } from "./safety-number";

export {
  isNewerDeviceList,
  isValidDeviceName,
  MAX_DEVICE_NAME_BYTES,
  MAX_DEVICES_PER_LIST,
  signDeviceList,
  verifyDeviceList,
  type DeviceListEntry,
  type VerifiedDeviceList,
} from "./devices/device-list";
export {
  createLinkCode,
  createLinkRequest,
  deriveLinkKeys,
  MAX_LINK_SECRETS_BYTES,
  normalizeLinkCode,
  openLinkRequest,
  openLinkResponse,
  sealLinkResponse,
  type LinkEphemeral,
  type OpenedLinkRequest,
} from "./devices/device-link";

export { RecoveryKey } from "./backup/recovery-key";
export {
  BACKUP_KDF_MINIMUM,
  BACKUP_KDF_PRODUCTION,
  backupSecretKind,
  openBackup,
  openBackupBytes,
  sealBackup,
  sealBackupBytes,
  type BackupKdfLimits,
  type BackupSecret,
} from "./backup/backup";
export {
  deriveOfflinePassphraseKey,
  OFFLINE_PASSPHRASE_KDF,
  OFFLINE_PASSPHRASE_KDF_MINIMUM,
  OFFLINE_PASSPHRASE_SALT_BYTES,
  prepareOfflinePassphraseKey,
  type PassphraseKdfLimits,
} from "./local-unlock/offline-passphrase-key";

export {
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_DIGEST_BYTES,
  ATTACHMENT_KEY_BYTES,
  encryptedAttachmentSize,
  MAX_ATTACHMENT_BYTES,
  paddedAttachmentSize,
} from "./attachments/attachment-size";
export { AttachmentEncryptor, createAttachmentKey } from "./attachments/attachment-encryptor";
export { AttachmentDecryptor } from "./attachments/attachment-decryptor";
export { decryptAttachmentStream, encryptAttachmentStream } from "./attachments/attachment-streams";

export type {
  IdentityDirection,
  IdentityKeyStore,
  KyberPreKeyStore,
  PreKeyStore,
  ProtocolStores,
  SessionStore,
  SignedPreKeyStore,
} from "./stores/protocol-stores";
export {
  createInMemoryProtocolStores,
  InMemoryIdentityKeyStore,
  InMemoryKyberPreKeyStore,
  InMemoryPreKeyStore,
  InMemorySessionStore,
  InMemorySignedPreKeyStore,
} from "./stores/in-memory-protocol-stores";
