/**
 * The crypto core never owns persistence: whoever calls it passes these stores in. The chat
 * module implements them over IndexedDB; `in-memory-protocol-stores.ts` implements them for
 * tests. All methods are async because real storage is.
 */
import type { IdentityKey, IdentityKeyPair } from "../keys/identity-key";
import type { KyberPreKeyRecord } from "../keys/kyber-pre-key-record";
import type { PreKeyRecord } from "../keys/pre-key-record";
import type { SignedPreKeyRecord } from "../keys/signed-pre-key-record";
import type { ProtocolAddress } from "../protocol-address";
import type { SessionRecord } from "../session/session-record";

export type IdentityDirection = "sending" | "receiving";

export interface IdentityKeyStore {
  /** This device's identity key pair. */
  getIdentityKeyPair(): Promise<IdentityKeyPair>;
  /** The identity key recorded for `address`, if any. */
  getIdentity(address: ProtocolAddress): Promise<IdentityKey | null>;
  /** Records `key` as the identity of `address`; resolves true when it replaced a different key. */
  saveIdentity(address: ProtocolAddress, key: IdentityKey): Promise<boolean>;
  /**
   * Whether `key` may be used for `address`. The crypto core refuses with `UntrustedIdentity`
   * when this is false; the chat module decides (warn the user, confirm with the directory,
   * then `saveIdentity`) and retries.
   */
  isTrustedIdentity(address: ProtocolAddress, key: IdentityKey, direction: IdentityDirection): Promise<boolean>;
}

export interface PreKeyStore {
  getPreKey(id: number): Promise<PreKeyRecord | null>;
  savePreKey(record: PreKeyRecord): Promise<void>;
  removePreKey(id: number): Promise<void>;
}

export interface SignedPreKeyStore {
  getSignedPreKey(id: number): Promise<SignedPreKeyRecord | null>;
  saveSignedPreKey(record: SignedPreKeyRecord): Promise<void>;
  removeSignedPreKey(id: number): Promise<void>;
}

export interface KyberPreKeyStore {
  getKyberPreKey(id: number): Promise<KyberPreKeyRecord | null>;
  saveKyberPreKey(record: KyberPreKeyRecord): Promise<void>;
  removeKyberPreKey(id: number): Promise<void>;
  /**
   * Whether a handshake with this base key already used ML-KEM prekey `id` (only the
   * last-resort key can be used twice, so only its uses need remembering).
   */
  hasUsedKyberPreKey(id: number, baseKey: Uint8Array): Promise<boolean>;
  /**
   * Records a successful handshake: deletes a one-time key, and for the last-resort key
   * remembers (id, signed prekey id, base key) until that key is removed.
   */
  markKyberPreKeyUsed(id: number, signedPreKeyId: number, baseKey: Uint8Array): Promise<void>;
}

export interface SessionStore {
  loadSession(address: ProtocolAddress): Promise<SessionRecord | null>;
  storeSession(address: ProtocolAddress, record: SessionRecord): Promise<void>;
}

/** Everything the session functions need, in one object. */
export interface ProtocolStores {
  readonly identity: IdentityKeyStore;
  readonly preKeys: PreKeyStore;
  readonly signedPreKeys: SignedPreKeyStore;
  readonly kyberPreKeys: KyberPreKeyStore;
  readonly sessions: SessionStore;
}
