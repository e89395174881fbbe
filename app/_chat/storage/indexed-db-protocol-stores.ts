/**
 * The crypto core's stores over the chat database. They behave like the in-memory stores of
 * the crypto core (and pass the same cases, see `protocol-store-cases.ts`): records are kept as
 * their serialized bytes, sealed; identity trust is trust-on-first-use (a known address whose key
 * changed is untrusted in both directions until `saveIdentity` records the new key). Read-then-
 * write sequences are not atomic across awaits: the engine runs them inside `ChatStorage.exclusive`,
 * and through a write buffer (`ChatStorage.atomically`) where their writes must land together.
 */
import {
  IdentityKey,
  KyberPreKeyRecord,
  PreKeyRecord,
  SessionRecord,
  SignedPreKeyRecord,
  type IdentityDirection,
  type IdentityKeyPair,
  type IdentityKeyStore,
  type KyberPreKeyStore,
  type PreKeyStore,
  type ProtocolAddress,
  type ProtocolStores,
  type SessionStore,
  type SignedPreKeyStore,
} from "../crypto";
import type { RecordAccess } from "./record-access";

export interface ChatPreKeyStore extends PreKeyStore {
  /** Ids of the stored one-time prekeys, ascending (to top up and prune). */
  listPreKeyIds(): Promise<number[]>;
}

export interface ChatSignedPreKeyStore extends SignedPreKeyStore {
  /** Ids of the stored signed prekeys, ascending (to rotate and prune). */
  listSignedPreKeyIds(): Promise<number[]>;
}

export interface ChatKyberPreKeyStore extends KyberPreKeyStore {
  /** Ids of the stored ML-KEM prekeys of both kinds, ascending (to top up and prune). */
  listKyberPreKeyIds(): Promise<number[]>;
}

export interface ChatSessionStore extends SessionStore {
  /** Forgets the session with a device (removed from its owner's account). */
  removeSession(address: ProtocolAddress): Promise<void>;
}

/** The protocol stores of the chat storage: the crypto core's, plus what the engine needs to maintain them. */
export interface ChatProtocolStores extends ProtocolStores {
  readonly preKeys: ChatPreKeyStore;
  readonly signedPreKeys: ChatSignedPreKeyStore;
  readonly kyberPreKeys: ChatKyberPreKeyStore;
  readonly sessions: ChatSessionStore;
}

/** The same map key as the crypto core's `addressKey`. */
function addressKey(address: ProtocolAddress): string {
  return `${address.deviceId}.${address.userId}`;
}

/** Equality of public values (identity keys): no need for constant time. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

class IndexedDbIdentityKeyStore implements IdentityKeyStore {
  constructor(
    private readonly records: RecordAccess,
    private readonly keyPair: IdentityKeyPair,
  ) {}

  async getIdentityKeyPair(): Promise<IdentityKeyPair> {
    return this.keyPair;
  }

  private async stored(address: ProtocolAddress): Promise<Uint8Array | null> {
    const key = addressKey(address);
    const record = await this.records.get("identities", key);
    return record ? this.records.sealed.openBytes("identities", key, record.sealed) : null;
  }

  async getIdentity(address: ProtocolAddress): Promise<IdentityKey | null> {
    const stored = await this.stored(address);
    return stored ? IdentityKey.deserialize(stored) : null;
  }

  async saveIdentity(address: ProtocolAddress, key: IdentityKey): Promise<boolean> {
    const stored = await this.stored(address);
    const bytes = key.serialize();
    const recordKey = addressKey(address);
    await this.records.put("identities", recordKey, { address: recordKey, sealed: await this.records.sealed.sealBytes("identities", recordKey, bytes) });
    return stored !== null && !sameBytes(stored, bytes);
  }

  async isTrustedIdentity(address: ProtocolAddress, key: IdentityKey, _direction: IdentityDirection): Promise<boolean> {
    const stored = await this.stored(address);
    return stored === null || sameBytes(stored, key.serialize());
  }
}

type PreKeyStoreName = "preKeys" | "signedPreKeys" | "kyberPreKeys";

/** Records kept by numeric id, as their sealed serialized bytes. */
class SealedRecordsById<R extends { readonly id: number; serialize(): Uint8Array }> {
  constructor(
    private readonly records: RecordAccess,
    private readonly storeName: PreKeyStoreName,
    private readonly deserialize: (bytes: Uint8Array) => R,
  ) {}

  async get(id: number): Promise<R | null> {
    const record = await this.records.get(this.storeName, id);
    if (!record) return null;
    const bytes = await this.records.sealed.openBytes(this.storeName, id, record.sealed);
    try {
      return this.deserialize(bytes);
    } finally {
      bytes.fill(0);
    }
  }

  async save(record: R): Promise<void> {
    const serialized = record.serialize();
    try {
      const sealed = await this.records.sealed.sealBytes(this.storeName, record.id, serialized);
      await this.records.put(this.storeName, record.id, { id: record.id, sealed });
    } finally {
      serialized.fill(0);
    }
  }

  async remove(id: number): Promise<void> {
    await this.records.delete([{ store: this.storeName, key: id }]);
  }

  listIds(): Promise<number[]> {
    return this.records.getAllKeys(this.storeName);
  }
}

class IndexedDbPreKeyStore implements ChatPreKeyStore {
  private readonly records: SealedRecordsById<PreKeyRecord>;

  constructor(records: RecordAccess) {
    this.records = new SealedRecordsById(records, "preKeys", (bytes) => PreKeyRecord.deserialize(bytes));
  }

  getPreKey(id: number): Promise<PreKeyRecord | null> {
    return this.records.get(id);
  }

  savePreKey(record: PreKeyRecord): Promise<void> {
    return this.records.save(record);
  }

  removePreKey(id: number): Promise<void> {
    return this.records.remove(id);
  }

  listPreKeyIds(): Promise<number[]> {
    return this.records.listIds();
  }
}

class IndexedDbSignedPreKeyStore implements ChatSignedPreKeyStore {
  private readonly records: SealedRecordsById<SignedPreKeyRecord>;

  constructor(records: RecordAccess) {
    this.records = new SealedRecordsById(records, "signedPreKeys", (bytes) => SignedPreKeyRecord.deserialize(bytes));
  }

  getSignedPreKey(id: number): Promise<SignedPreKeyRecord | null> {
    return this.records.get(id);
  }

  saveSignedPreKey(record: SignedPreKeyRecord): Promise<void> {
    return this.records.save(record);
  }

  removeSignedPreKey(id: number): Promise<void> {
    return this.records.remove(id);
  }

  listSignedPreKeyIds(): Promise<number[]> {
    return this.records.listIds();
  }
}

class IndexedDbKyberPreKeyStore implements ChatKyberPreKeyStore {
  private readonly records: SealedRecordsById<KyberPreKeyRecord>;

  constructor(private readonly access: RecordAccess) {
    this.records = new SealedRecordsById(access, "kyberPreKeys", (bytes) => KyberPreKeyRecord.deserialize(bytes));
  }

  getKyberPreKey(id: number): Promise<KyberPreKeyRecord | null> {
    return this.records.get(id);
  }

  saveKyberPreKey(record: KyberPreKeyRecord): Promise<void> {
    return this.records.save(record);
  }

  /** Removes the key and the handshakes remembered for it, in one transaction. */
  async removeKyberPreKey(id: number): Promise<void> {
    // [id] sorts before every [id, string] key, and [id, []] after them (arrays sort after strings).
    await this.access.delete([
      { store: "kyberPreKeys", key: id },
      { store: "kyberPreKeyUses", key: IDBKeyRange.bound([id], [id, []]) },
    ]);
  }

  async hasUsedKyberPreKey(id: number, baseKey: Uint8Array): Promise<boolean> {
    const key: [number, string] = [id, await this.access.sealed.blindIndex(baseKey)];
    const record = await this.access.get("kyberPreKeyUses", key);
    if (!record) return false;
    await this.access.sealed.openValue("kyberPreKeyUses", key, record, ["kyberPreKeyId", "baseKeyIndex"]);
    return true;
  }

  async markKyberPreKeyUsed(id: number, signedPreKeyId: number, baseKey: Uint8Array): Promise<void> {
    const record = await this.getKyberPreKey(id);
    if (!record) return;
    if (record.kind === "oneTime") {
      await this.removeKyberPreKey(id);
      return;
    }
    const use = { kyberPreKeyId: id, baseKeyIndex: await this.access.sealed.blindIndex(baseKey) };
    const key: [number, string] = [use.kyberPreKeyId, use.baseKeyIndex];
    const sealed = await this.access.sealed.sealValue("kyberPreKeyUses", key, { ...use, signedPreKeyId });
    await this.access.put("kyberPreKeyUses", key, { ...use, sealed });
  }

  listKyberPreKeyIds(): Promise<number[]> {
    return this.records.listIds();
  }
}

class IndexedDbSessionStore implements ChatSessionStore {
  constructor(private readonly records: RecordAccess) {}

  async loadSession(address: ProtocolAddress): Promise<SessionRecord | null> {
    const key = addressKey(address);
    const record = await this.records.get("sessions", key);
    if (!record) return null;
    const bytes = await this.records.sealed.openBytes("sessions", key, record.sealed);
    try {
      return SessionRecord.deserialize(bytes);
    } finally {
      bytes.fill(0);
    }
  }

  async storeSession(address: ProtocolAddress, record: SessionRecord): Promise<void> {
    const key = addressKey(address);
    const serialized = record.serialize();
    try {
      await this.records.put("sessions", key, { address: key, sealed: await this.records.sealed.sealBytes("sessions", key, serialized) });
    } finally {
      serialized.fill(0);
    }
  }

  async removeSession(address: ProtocolAddress): Promise<void> {
    await this.records.delete([{ store: "sessions", key: addressKey(address) }]);
  }
}

export function createIndexedDbProtocolStores(records: RecordAccess, identityKeyPair: IdentityKeyPair): ChatProtocolStores {
  return {
    identity: new IndexedDbIdentityKeyStore(records, identityKeyPair),
    preKeys: new IndexedDbPreKeyStore(records),
    signedPreKeys: new IndexedDbSignedPreKeyStore(records),
    kyberPreKeys: new IndexedDbKyberPreKeyStore(records),
    sessions: new IndexedDbSessionStore(records),
  };
}
