/**
 * Reading and writing sealed records of the chat database, one store and key at a time: what the
 * protocol stores and the engine's values are written through. Two implementations: straight to
 * IndexedDB (SealedDatabase), and a write buffer over it (WriteBuffer) whose writes all land in one
 * transaction, so that a ratchet step and the plaintext it revealed are stored together or not at all.
 */
import type { StoreKey, StoreNames, StoreValue } from "idb";
import type { ChatDbSchema } from "./schema";
import type { SealedDatabase } from "./sealed-database";

export type RecordStoreName = Exclude<StoreNames<ChatDbSchema>, "meta">;
export type RecordKeyOf<N extends RecordStoreName> = StoreKey<ChatDbSchema, N>;
export type RecordOf<N extends RecordStoreName> = StoreValue<ChatDbSchema, N>;

export interface RecordAccess {
  /** The cipher and connection the records are sealed with. */
  readonly sealed: SealedDatabase;
  get<N extends RecordStoreName>(store: N, key: RecordKeyOf<N>): Promise<RecordOf<N> | undefined>;
  /** `key` is the record's own key (the stores keep their keys inline). */
  put<N extends RecordStoreName>(store: N, key: RecordKeyOf<N>, record: RecordOf<N>): Promise<void>;
  /** Deletes one record, or every record in a key range; several deletions go in one transaction. */
  delete(deletions: readonly Deletion[]): Promise<void>;
  getAllKeys<N extends RecordStoreName>(store: N): Promise<RecordKeyOf<N>[]>;
}

export interface Deletion {
  store: RecordStoreName;
  key: IDBValidKey | IDBKeyRange;
}

/** Straight to IndexedDB: each call its own transaction. */
export class DirectRecordAccess implements RecordAccess {
  constructor(readonly sealed: SealedDatabase) {}

  get<N extends RecordStoreName>(store: N, key: RecordKeyOf<N>): Promise<RecordOf<N> | undefined> {
    return this.sealed.db.get(store, key);
  }

  async put<N extends RecordStoreName>(store: N, _key: RecordKeyOf<N>, record: RecordOf<N>): Promise<void> {
    await this.sealed.db.put(store, record);
  }

  async delete(deletions: readonly Deletion[]): Promise<void> {
    const tx = this.sealed.db.transaction([...new Set(deletions.map((d) => d.store))], "readwrite");
    await Promise.all([...deletions.map((d) => tx.objectStore(d.store).delete(d.key as never)), tx.done]);
  }

  getAllKeys<N extends RecordStoreName>(store: N): Promise<RecordKeyOf<N>[]> {
    return this.sealed.db.getAllKeys(store);
  }
}

type Write = { kind: "put"; store: RecordStoreName; key: IDBValidKey; record: unknown } | ({ kind: "delete" } & Deletion);

/**
 * Writes kept in order until `commit`, which applies them all in one IndexedDB transaction; reads
 * see them first. Values are sealed before they are buffered, so the commit waits on nothing but
 * IndexedDB (a transaction that waits on WebCrypto commits on its own). Not shared: one piece of
 * work inside `ChatStorage.exclusive` owns it.
 */
export class WriteBuffer implements RecordAccess {
  private readonly writes: Write[] = [];

  constructor(private readonly base: RecordAccess) {}

  get sealed(): SealedDatabase {
    return this.base.sealed;
  }

  async get<N extends RecordStoreName>(store: N, key: RecordKeyOf<N>): Promise<RecordOf<N> | undefined> {
    for (let i = this.writes.length - 1; i >= 0; i--) {
      const write = this.writes[i]!;
      if (write.store !== store) continue;
      if (write.kind === "put" && sameKey(write.key, key)) return write.record as RecordOf<N>;
      if (write.kind === "delete" && covers(write.key, key)) return undefined;
    }
    return this.base.get(store, key);
  }

  async put<N extends RecordStoreName>(store: N, key: RecordKeyOf<N>, record: RecordOf<N>): Promise<void> {
    this.writes.push({ kind: "put", store, key, record });
  }

  async delete(deletions: readonly Deletion[]): Promise<void> {
    for (const deletion of deletions) this.writes.push({ kind: "delete", ...deletion });
  }

  async getAllKeys<N extends RecordStoreName>(store: N): Promise<RecordKeyOf<N>[]> {
    let keys: IDBValidKey[] = await this.base.getAllKeys(store);
    for (const write of this.writes) {
      if (write.store !== store) continue;
      keys = keys.filter((key) => (write.kind === "put" ? !sameKey(write.key, key) : !covers(write.key, key)));
      if (write.kind === "put") keys.push(write.key);
    }
    return keys.sort((a, b) => indexedDB.cmp(a, b)) as RecordKeyOf<N>[];
  }

  /** Applies every buffered write in one transaction, in order; nothing of them when it fails. */
  async commit(): Promise<void> {
    if (!this.writes.length) return;
    const db = this.sealed.db;
    const tx = db.transaction([...new Set(this.writes.map((w) => w.store))], "readwrite");
    const requests = this.writes.map((write) =>
      write.kind === "put" ? tx.objectStore(write.store).put(write.record as never) : tx.objectStore(write.store).delete(write.key as never),
    );
    this.writes.length = 0;
    await Promise.all([...requests, tx.done]);
  }
}

function sameKey(a: IDBValidKey, b: IDBValidKey): boolean {
  return indexedDB.cmp(a, b) === 0;
}

function covers(deleted: IDBValidKey | IDBKeyRange, key: IDBValidKey): boolean {
  return deleted instanceof IDBKeyRange ? deleted.includes(key) : sameKey(deleted, key);
}
