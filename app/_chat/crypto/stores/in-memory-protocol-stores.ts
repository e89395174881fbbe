/**
 * In-memory stores for tests. They keep serialized bytes, as a real store would, so every test
 * also round-trips the record formats. Identity trust is trust-on-first-use: a known address
 * whose key changed is untrusted in both directions until `saveIdentity` records the new key.
 */
import { bytesToHex } from "@noble/hashes/utils.js";
import { bytesEqual } from "../bytes";
import { IdentityKey, IdentityKeyPair } from "../keys/identity-key";
import { KyberPreKeyRecord } from "../keys/kyber-pre-key-record";
import { PreKeyRecord } from "../keys/pre-key-record";
import { SignedPreKeyRecord } from "../keys/signed-pre-key-record";
import { addressKey, type ProtocolAddress } from "../protocol-address";
import { SessionRecord } from "../session/session-record";
import type { IdentityDirection, IdentityKeyStore, KyberPreKeyStore, PreKeyStore, ProtocolStores, SessionStore, SignedPreKeyStore } from "./protocol-stores";

export class InMemoryIdentityKeyStore implements IdentityKeyStore {
  private readonly identities = new Map<string, Uint8Array>();
  private readonly keyPair: IdentityKeyPair;

  /** Keeps the key pair as it is handed in (it never changes), read back through its bytes once. */
  constructor(identityKeyPair: IdentityKeyPair) {
    this.keyPair = IdentityKeyPair.deserialize(identityKeyPair.serialize());
  }

  async getIdentityKeyPair(): Promise<IdentityKeyPair> {
    return this.keyPair;
  }

  async getIdentity(address: ProtocolAddress): Promise<IdentityKey | null> {
    const stored = this.identities.get(addressKey(address));
    return stored ? IdentityKey.deserialize(stored) : null;
  }

  async saveIdentity(address: ProtocolAddress, key: IdentityKey): Promise<boolean> {
    const stored = this.identities.get(addressKey(address));
    this.identities.set(addressKey(address), key.serialize());
    return stored !== undefined && !bytesEqual(stored, key.serialize());
  }

  async isTrustedIdentity(address: ProtocolAddress, key: IdentityKey, _direction: IdentityDirection): Promise<boolean> {
    const stored = this.identities.get(addressKey(address));
    return stored === undefined || bytesEqual(stored, key.serialize());
  }
}

export class InMemoryPreKeyStore implements PreKeyStore {
  private readonly records = new Map<number, Uint8Array>();

  async getPreKey(id: number): Promise<PreKeyRecord | null> {
    const stored = this.records.get(id);
    return stored ? PreKeyRecord.deserialize(stored) : null;
  }

  async savePreKey(record: PreKeyRecord): Promise<void> {
    this.records.set(record.id, record.serialize());
  }

  async removePreKey(id: number): Promise<void> {
    this.records.delete(id);
  }

  get count(): number {
    return this.records.size;
  }
}

export class InMemorySignedPreKeyStore implements SignedPreKeyStore {
  private readonly records = new Map<number, Uint8Array>();

  async getSignedPreKey(id: number): Promise<SignedPreKeyRecord | null> {
    const stored = this.records.get(id);
    return stored ? SignedPreKeyRecord.deserialize(stored) : null;
  }

  async saveSignedPreKey(record: SignedPreKeyRecord): Promise<void> {
    this.records.set(record.id, record.serialize());
  }

  async removeSignedPreKey(id: number): Promise<void> {
    this.records.delete(id);
  }
}

export class InMemoryKyberPreKeyStore implements KyberPreKeyStore {
  private readonly records = new Map<number, Uint8Array>();
  /** id → hex base keys of the handshakes that used that last-resort key. */
  private readonly lastResortUses = new Map<number, Set<string>>();

  async getKyberPreKey(id: number): Promise<KyberPreKeyRecord | null> {
    const stored = this.records.get(id);
    return stored ? KyberPreKeyRecord.deserialize(stored) : null;
  }

  async saveKyberPreKey(record: KyberPreKeyRecord): Promise<void> {
    this.records.set(record.id, record.serialize());
  }

  async removeKyberPreKey(id: number): Promise<void> {
    this.records.delete(id);
    this.lastResortUses.delete(id);
  }

  async hasUsedKyberPreKey(id: number, baseKey: Uint8Array): Promise<boolean> {
    return this.lastResortUses.get(id)?.has(bytesToHex(baseKey)) ?? false;
  }

  async markKyberPreKeyUsed(id: number, _signedPreKeyId: number, baseKey: Uint8Array): Promise<void> {
    const record = await this.getKyberPreKey(id);
    if (!record) return;
    if (record.kind === "oneTime") {
      this.records.delete(id);
      return;
    }
    const uses = this.lastResortUses.get(id) ?? new Set<string>();
    uses.add(bytesToHex(baseKey));
    this.lastResortUses.set(id, uses);
  }

  has(id: number): boolean {
    return this.records.has(id);
  }
}

export class InMemorySessionStore implements SessionStore {
  private readonly records = new Map<string, Uint8Array>();

  async loadSession(address: ProtocolAddress): Promise<SessionRecord | null> {
    const stored = this.records.get(addressKey(address));
    return stored ? SessionRecord.deserialize(stored) : null;
  }

  async storeSession(address: ProtocolAddress, record: SessionRecord): Promise<void> {
    this.records.set(addressKey(address), record.serialize());
  }

  /** The stored bytes, for tests that inspect or roll back what was persisted. */
  raw(address: ProtocolAddress): Uint8Array | undefined {
    return this.records.get(addressKey(address));
  }

  restoreRaw(address: ProtocolAddress, bytes: Uint8Array): void {
    this.records.set(addressKey(address), bytes.slice());
  }
}

export interface InMemoryProtocolStores extends ProtocolStores {
  readonly identity: InMemoryIdentityKeyStore;
  readonly preKeys: InMemoryPreKeyStore;
  readonly signedPreKeys: InMemorySignedPreKeyStore;
  readonly kyberPreKeys: InMemoryKyberPreKeyStore;
  readonly sessions: InMemorySessionStore;
}

export function createInMemoryProtocolStores(identityKeyPair: IdentityKeyPair): InMemoryProtocolStores {
  return {
    identity: new InMemoryIdentityKeyStore(identityKeyPair),
    preKeys: new InMemoryPreKeyStore(),
    signedPreKeys: new InMemorySignedPreKeyStore(),
    kyberPreKeys: new InMemoryKyberPreKeyStore(),
    sessions: new InMemorySessionStore(),
  };
}
