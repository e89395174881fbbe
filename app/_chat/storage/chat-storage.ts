/**
 * The browser storage of the chat: one IndexedDB database per user, every value sealed at rest
 * (see `storage-cipher.ts` for the keys and `schema.ts` for what stays in clear).
 *
 * One tab at a time: the engine holds a Web Locks API lock (`navigator.locks`) for the user
 * while it owns the database, so no two tabs write it at once; within that tab, `exclusive`
 * serializes the engine's read-then-write sequences. A connection closes itself when another
 * one deletes or upgrades the database, and then refuses every call with `closed`.
 */
import { IdentityKeyPair, loadCryptoCore } from "../crypto";
import { deleteDB, openDB } from "idb";
import { ChatStorageError } from "./errors";
import { createIndexedDbProtocolStores, type ChatProtocolStores } from "./indexed-db-protocol-stores";
import { Mutex } from "./mutex";
import { DirectRecordAccess, WriteBuffer, type RecordAccess } from "./record-access";
import { CHAT_DB_VERSION, chatDatabaseName, META_BASE_KEY, META_CHECK, META_IDENTITY_KEY_PAIR, upgradeChatDb, type ChatDb, type ChatDbSchema } from "./schema";
import { SealedDatabase, type ConnectionState } from "./sealed-database";
import { createBaseKey, STORAGE_SECRET_BYTES, StorageCipher } from "./storage-cipher";

/**
 * A conversation as stored. `id` and `lastActivityAt` stay in clear (IndexedDB indexes them);
 * the engine's further fields (JSON values and `Uint8Array`) are sealed.
 */
export interface StoredConversation {
  /** The peer's user id. */
  id: string;
  lastActivityAt: number;
}

/** A message as stored; `id`, `conversationId` and `sortAt` stay in clear, the rest is sealed. */
export interface StoredMessage {
  id: string;
  conversationId: string;
  /** Milliseconds; the ordering key within a conversation. */
  sortAt: number;
}

/** Something waiting to be sent; `id` and `createdAt` stay in clear, the rest is sealed. */
export interface OutboxItem {
  id: string;
  createdAt: number;
}

export interface OpenChatStorageOptions {
  userId: string;
  /** The account's 32-byte storage secret, which the server hands to the logged-in owner. */
  storageSecret: Uint8Array;
  /**
   * This device's identity key pair: needed when the database is new, where it is sealed in for
   * good. When the database exists, a key pair given here must be the stored one.
   */
  identityKeyPair?: IdentityKeyPair;
}

/** The values and protocol stores as work seeing its own writes before they land together (`ChatStorage.atomically`). */
export interface AtomicWrites {
  readonly protocol: ChatProtocolStores;
  getValue<T>(key: string): Promise<T | undefined>;
  setValue<T>(key: string, value: T): Promise<void>;
  deleteValue(key: string): Promise<void>;
}

export interface ChatStorage extends Omit<AtomicWrites, "protocol"> {
  readonly userId: string;
  /** The crypto core's stores over this database (identity = this device's key pair, set at creation). */
  readonly protocol: ChatProtocolStores;

  getConversation<T extends StoredConversation>(id: string): Promise<T | undefined>;
  putConversation<T extends StoredConversation>(conversation: T): Promise<void>;
  /** Upserts many in one transaction (restore). */
  putConversations<T extends StoredConversation>(conversations: readonly T[]): Promise<void>;
  /** lastActivityAt descending. */
  listConversations<T extends StoredConversation>(): Promise<T[]>;
  /** Deletes the conversation and all its messages, in one transaction. */
  deleteConversation(id: string): Promise<void>;

  getMessage<T extends StoredMessage>(id: string): Promise<T | undefined>;
  /** Upsert by id. */
  putMessage<T extends StoredMessage>(message: T): Promise<void>;
  /** Upserts many in one transaction (restore). */
  putMessages<T extends StoredMessage>(messages: readonly T[]): Promise<void>;
  deleteMessage(id: string): Promise<void>;
  /**
   * The newest `limit` (default 50) messages of a conversation with `sortAt` below `before`
   * (all when omitted), returned in ascending `sortAt` order. To page backwards, pass the first
   * message's `sortAt` as the next `before`: a page takes in every message that shares its
   * oldest `sortAt` (so it may exceed `limit`), so paging never skips one.
   */
  listMessages<T extends StoredMessage>(conversationId: string, options?: { before?: number; limit?: number }): Promise<T[]>;
  countMessages(conversationId?: string): Promise<number>;
  /** All messages, in batches of `batchSize` (default 256), for backup and export (sortAt ascending, then id). */
  iterateMessages<T extends StoredMessage>(batchSize?: number): AsyncGenerator<T[]>;

  putOutboxItem<T extends OutboxItem>(item: T): Promise<void>;
  /** createdAt ascending. */
  listOutbox<T extends OutboxItem>(): Promise<T[]>;
  deleteOutboxItem(id: string): Promise<void>;

  /**
   * Stores piece `index` of the local copy of attachment `attachmentId` (this device's id for it):
   * plaintext bytes, sealed like every value. Pieces are read back in `index` order.
   */
  putAttachmentChunk(attachmentId: string, index: number, bytes: Uint8Array): Promise<void>;
  /** The pieces of an attachment's local copy, in order; none when there is no copy. */
  readAttachmentChunks(attachmentId: string): AsyncGenerator<Uint8Array>;
  /** Deletes every piece of an attachment's local copy. */
  deleteAttachmentChunks(attachmentId: string): Promise<void>;

  /**
   * Runs `work` after every earlier `exclusive` work has settled and before any later one starts.
   * Writes made outside `exclusive` are not held back, so every read-then-write sequence of the
   * engine (decrypt then store the session, top up prekeys, …) belongs inside. Not re-entrant:
   * calling `exclusive` from inside `work` waits forever.
   */
  exclusive<R>(work: () => Promise<R>): Promise<R>;
  /**
   * Runs `work` over protocol stores and values whose writes are held back and then committed in
   * one IndexedDB transaction when it resolves, and dropped when it throws: a decryption's ratchet
   * step and the journaled plaintext land together, so a tab closed in between loses neither. Reads
   * inside see the held writes. Call it inside `exclusive`.
   */
  atomically<R>(work: (writes: AtomicWrites) => Promise<R>): Promise<R>;
  close(): void;
}

const DEFAULT_PAGE_SIZE = 50;
const DEFAULT_BATCH_SIZE = 256;
/** Pieces of a local copy read per transaction (each up to about 1 MiB). */
const CHUNK_READ_BATCH = 8;
/** What the check value in `meta` must decrypt to. */
const CHECK_PLAINTEXT = "Hearth_ChatStorage_v1 check";
const MESSAGE_CLEAR_FIELDS = ["id", "conversationId", "sortAt"] as const;
const CONVERSATION_CLEAR_FIELDS = ["id", "lastActivityAt"] as const;
const OUTBOX_CLEAR_FIELDS = ["id", "createdAt"] as const;

const utf8Encoder = new TextEncoder();

/** What a new database starts with, made before it is opened (an upgrade transaction cannot wait on WebCrypto). */
interface Creation {
  baseKey: CryptoKey;
  cipher: StorageCipher;
  check: Uint8Array;
  identityKeyPair: Uint8Array;
}

async function prepareCreation(identityKeyPair: IdentityKeyPair, storageSecret: Uint8Array): Promise<Creation> {
  const baseKey = await createBaseKey();
  const cipher = await StorageCipher.derive(baseKey, storageSecret);
  const serialized = new Uint8Array(identityKeyPair.serialize());
  try {
    return {
      baseKey,
      cipher,
      check: await cipher.seal("meta", META_CHECK, utf8Encoder.encode(CHECK_PLAINTEXT)),
      identityKeyPair: await cipher.seal("meta", META_IDENTITY_KEY_PAIR, serialized),
    };
  } finally {
    serialized.fill(0);
  }
}

/** Thrown inside `connect` when the database is new and there is nothing to create it with. */
export class NoDatabase extends Error {}

/**
 * Opens the user's database, upgrading its schema if needed. A new database is created, with
 * its `meta` records, in the one upgrade transaction when `creation` is given, and refused
 * (the upgrade aborted, nothing left behind) when it is not.
 */
export async function connect(userId: string, creation: Creation | undefined, state: ConnectionState): Promise<{ db: ChatDb; created: boolean }> {
  let created = false;
  let refused = false;
  let db: ChatDb | undefined;
  try {
    db = await openDB<ChatDbSchema>(chatDatabaseName(userId), CHAT_DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, transaction) {
        if (oldVersion === 0 && !creation) {
          refused = true;
          transaction.done.catch(() => undefined);
          transaction.abort();
          return;
        }
        upgradeChatDb(database, oldVersion);
        if (oldVersion === 0 && creation) {
          const meta = transaction.objectStore("meta");
          // A failed put fails the upgrade transaction, and so `openDB` itself.
          Promise.all([
            meta.put(creation.baseKey, META_BASE_KEY),
            meta.put(creation.check, META_CHECK),
            meta.put(creation.identityKeyPair, META_IDENTITY_KEY_PAIR),
          ]).catch(() => undefined);
          created = true;
        }
      },
      blocking() {
        state.closed = true;
        db?.close();
      },
      terminated() {
        state.closed = true;
      },
    });
  } catch (error) {
    if (refused) throw new NoDatabase();
    throw error;
  }
  return { db, created };
}

/**
 * Opens the chat storage of `userId`, creating it when it does not exist and an identity key
 * pair is given.
 * @throws {ChatStorageError} `invalid_secret` unless the storage secret is 32 bytes;
 *   `not_found` for no database and no identity key pair; `wrong_secret` when the secret does
 *   not open the database; `identity_mismatch` when the given key pair is not the stored one;
 *   `corrupt` when the database's `meta` records are missing or damaged.
 */
export async function openChatStorage(options: OpenChatStorageOptions): Promise<ChatStorage> {
  const { userId, storageSecret, identityKeyPair } = options;
  if (storageSecret.length !== STORAGE_SECRET_BYTES) throw new ChatStorageError("invalid_secret", "the storage secret must be 32 bytes");
  await loadCryptoCore();
  const creation = identityKeyPair ? await prepareCreation(identityKeyPair, storageSecret) : undefined;
  const state: ConnectionState = { closed: false };
  let connection: { db: ChatDb; created: boolean };
  try {
    connection = await connect(userId, creation, state);
  } catch (error) {
    if (error instanceof NoDatabase) throw new ChatStorageError("not_found", "no chat storage for this user on this device");
    throw error;
  }
  const { db, created } = connection;
  try {
    const cipher = created && creation ? creation.cipher : await unlock(db, storageSecret);
    const storedKeyPair = await readIdentityKeyPair(db, cipher);
    if (identityKeyPair && !storedKeyPair.identityKey.equals(identityKeyPair.identityKey)) {
      throw new ChatStorageError("identity_mismatch", "the chat storage holds another identity key pair");
    }
    return new IndexedDbChatStorage(userId, new SealedDatabase(db, cipher, state), storedKeyPair);
  } catch (error) {
    state.closed = true;
    db.close();
    throw error;
  }
}

/** Derives the cipher from the stored base key and proves it on the check value. */
export async function unlock(db: ChatDb, storageSecret: Uint8Array): Promise<StorageCipher> {
  const baseKey = await db.get("meta", META_BASE_KEY);
  const check = await db.get("meta", META_CHECK);
  if (!(baseKey instanceof CryptoKey) || !(check instanceof Uint8Array)) {
    throw new ChatStorageError("corrupt", "the chat storage has no wrapping key");
  }
  const cipher = await StorageCipher.derive(baseKey, storageSecret);
  let opened: Uint8Array;
  try {
    opened = await cipher.open("meta", META_CHECK, check);
  } catch {
    throw new ChatStorageError("wrong_secret", "the storage secret does not open this chat storage");
  }
  if (new TextDecoder().decode(opened) !== CHECK_PLAINTEXT) throw new ChatStorageError("corrupt", "unexpected check value");
  return cipher;
}

async function readIdentityKeyPair(db: ChatDb, cipher: StorageCipher): Promise<IdentityKeyPair> {
  const sealed = await db.get("meta", META_IDENTITY_KEY_PAIR);
  const bytes = await cipher.open("meta", META_IDENTITY_KEY_PAIR, sealed);
  try {
    return IdentityKeyPair.deserialize(bytes);
  } catch {
    throw new ChatStorageError("corrupt", "the stored identity key pair does not parse");
  } finally {
    bytes.fill(0);
  }
}

/** Whether this device holds a chat storage for `userId` (without creating one). */
export async function chatStorageExists(userId: string): Promise<boolean> {
  let connection: { db: ChatDb };
  try {
    connection = await connect(userId, undefined, { closed: false });
  } catch (error) {
    if (error instanceof NoDatabase) return false;
    // A database of a newer schema than this code knows still exists.
    if ((error as { name?: unknown } | null)?.name === "VersionError") return true;
    throw error;
  }
  try {
    return (await connection.db.get("meta", META_BASE_KEY)) !== undefined;
  } finally {
    connection.db.close();
  }
}

/** Deletes the user's chat storage; open connections to it (in any tab) close themselves first. */
export async function deleteChatStorage(userId: string): Promise<void> {
  await deleteDB(chatDatabaseName(userId));
}

function assertId(value: unknown, what: string): void {
  if (typeof value !== "string" || value === "") throw new ChatStorageError("unsupported_value", `${what} must be a non-empty string`);
}

function assertTime(value: unknown, what: string): void {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ChatStorageError("unsupported_value", `${what} must be a finite number`);
}

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer`);
}

function chunkRange(attachmentId: string, fromIndex = 0): IDBKeyRange {
  return IDBKeyRange.bound([attachmentId, fromIndex], [attachmentId, Infinity]);
}

function conversationRange(conversationId: string, before?: number): IDBKeyRange {
  return before === undefined
    ? IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity])
    : IDBKeyRange.bound([conversationId, -Infinity], [conversationId, before], false, true);
}

/** The engine's values (kv), sealed, through either kind of record access. */
class SealedValues implements AtomicWrites {
  readonly protocol: ChatProtocolStores;

  constructor(
    private readonly records: RecordAccess,
    identityKeyPair: IdentityKeyPair,
  ) {
    this.protocol = createIndexedDbProtocolStores(records, identityKeyPair);
  }

  async getValue<T>(key: string): Promise<T | undefined> {
    const record = await this.records.get("values", key);
    return record ? this.records.sealed.openValue<T>("values", key, record) : undefined;
  }

  async setValue<T>(key: string, value: T): Promise<void> {
    assertId(key, "a value's key");
    await this.records.put("values", key, { key, sealed: await this.records.sealed.sealValue("values", key, value) });
  }

  async deleteValue(key: string): Promise<void> {
    await this.records.delete([{ store: "values", key }]);
  }
}

class IndexedDbChatStorage implements ChatStorage {
  private readonly mutex = new Mutex();
  private readonly direct: DirectRecordAccess;
  private readonly values: SealedValues;

  constructor(
    readonly userId: string,
    private readonly sealed: SealedDatabase,
    private readonly identityKeyPair: IdentityKeyPair,
  ) {
    this.direct = new DirectRecordAccess(sealed);
    this.values = new SealedValues(this.direct, identityKeyPair);
  }

  get protocol(): ChatProtocolStores {
    return this.values.protocol;
  }

  getValue<T>(key: string): Promise<T | undefined> {
    return this.values.getValue(key);
  }

  setValue<T>(key: string, value: T): Promise<void> {
    return this.values.setValue(key, value);
  }

  deleteValue(key: string): Promise<void> {
    return this.values.deleteValue(key);
  }

  async getConversation<T extends StoredConversation>(id: string): Promise<T | undefined> {
    const record = await this.sealed.db.get("conversations", id);
    return record ? this.sealed.openValue<T>("conversations", id, record, CONVERSATION_CLEAR_FIELDS) : undefined;
  }

  putConversation<T extends StoredConversation>(conversation: T): Promise<void> {
    return this.putConversations([conversation]);
  }

  async putConversations<T extends StoredConversation>(conversations: readonly T[]): Promise<void> {
    const records = await Promise.all(
      conversations.map(async (conversation) => {
        assertId(conversation.id, "a conversation's id");
        assertTime(conversation.lastActivityAt, "lastActivityAt");
        const { id, lastActivityAt } = conversation;
        return { id, lastActivityAt, sealed: await this.sealed.sealValue("conversations", id, conversation) };
      }),
    );
    const tx = this.sealed.db.transaction("conversations", "readwrite");
    await Promise.all([...records.map((record) => tx.store.put(record)), tx.done]);
  }

  async listConversations<T extends StoredConversation>(): Promise<T[]> {
    const records = await this.sealed.db.getAllFromIndex("conversations", "lastActivityAt");
    records.reverse();
    return Promise.all(records.map((record) => this.sealed.openValue<T>("conversations", record.id, record, CONVERSATION_CLEAR_FIELDS)));
  }

  async deleteConversation(id: string): Promise<void> {
    const tx = this.sealed.db.transaction(["conversations", "messages"], "readwrite");
    const messages = tx.objectStore("messages");
    const messageIds = await messages.index("conversationId_sortAt").getAllKeys(conversationRange(id));
    await Promise.all([tx.objectStore("conversations").delete(id), ...messageIds.map((messageId) => messages.delete(messageId)), tx.done]);
  }

  async getMessage<T extends StoredMessage>(id: string): Promise<T | undefined> {
    const record = await this.sealed.db.get("messages", id);
    return record ? this.sealed.openValue<T>("messages", id, record, MESSAGE_CLEAR_FIELDS) : undefined;
  }

  putMessage<T extends StoredMessage>(message: T): Promise<void> {
    return this.putMessages([message]);
  }

  async putMessages<T extends StoredMessage>(messages: readonly T[]): Promise<void> {
    const records = await Promise.all(
      messages.map(async (message) => {
        assertId(message.id, "a message's id");
        assertId(message.conversationId, "a message's conversationId");
        assertTime(message.sortAt, "sortAt");
        const { id, conversationId, sortAt } = message;
        return { id, conversationId, sortAt, sealed: await this.sealed.sealValue("messages", id, message) };
      }),
    );
    const tx = this.sealed.db.transaction("messages", "readwrite");
    await Promise.all([...records.map((record) => tx.store.put(record)), tx.done]);
  }

  async deleteMessage(id: string): Promise<void> {
    await this.sealed.db.delete("messages", id);
  }

  async listMessages<T extends StoredMessage>(conversationId: string, options: { before?: number; limit?: number } = {}): Promise<T[]> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    assertCount(limit, "limit");
    const tx = this.sealed.db.transaction("messages");
    const records: ChatDbSchema["messages"]["value"][] = [];
    let cursor = await tx.store.index("conversationId_sortAt").openCursor(conversationRange(conversationId, options.before), "prev");
    while (cursor) {
      const oldest = records[records.length - 1];
      if (oldest && records.length >= limit && cursor.value.sortAt !== oldest.sortAt) break;
      records.push(cursor.value);
      cursor = await cursor.continue();
    }
    records.reverse();
    return Promise.all(records.map((record) => this.sealed.openValue<T>("messages", record.id, record, MESSAGE_CLEAR_FIELDS)));
  }

  countMessages(conversationId?: string): Promise<number> {
    return conversationId === undefined
      ? this.sealed.db.count("messages")
      : this.sealed.db.countFromIndex("messages", "conversationId_sortAt", conversationRange(conversationId));
  }

  async *iterateMessages<T extends StoredMessage>(batchSize = DEFAULT_BATCH_SIZE): AsyncGenerator<T[]> {
    assertCount(batchSize, "batchSize");
    let after: [number, string] | undefined;
    for (;;) {
      const range = after ? IDBKeyRange.lowerBound(after, true) : undefined;
      const records = await this.sealed.db.getAllFromIndex("messages", "sortAt_id", range, batchSize);
      if (records.length === 0) return;
      yield await Promise.all(records.map((record) => this.sealed.openValue<T>("messages", record.id, record, MESSAGE_CLEAR_FIELDS)));
      if (records.length < batchSize) return;
      const last = records[records.length - 1]!;
      after = [last.sortAt, last.id];
    }
  }

  async putOutboxItem<T extends OutboxItem>(item: T): Promise<void> {
    assertId(item.id, "an outbox item's id");
    assertTime(item.createdAt, "createdAt");
    const { id, createdAt } = item;
    await this.sealed.db.put("outbox", { id, createdAt, sealed: await this.sealed.sealValue("outbox", id, item) });
  }

  async listOutbox<T extends OutboxItem>(): Promise<T[]> {
    const records = await this.sealed.db.getAllFromIndex("outbox", "createdAt");
    return Promise.all(records.map((record) => this.sealed.openValue<T>("outbox", record.id, record, OUTBOX_CLEAR_FIELDS)));
  }

  async deleteOutboxItem(id: string): Promise<void> {
    await this.sealed.db.delete("outbox", id);
  }

  async putAttachmentChunk(attachmentId: string, index: number, bytes: Uint8Array): Promise<void> {
    assertId(attachmentId, "an attachment's id");
    if (!Number.isSafeInteger(index) || index < 0) throw new ChatStorageError("unsupported_value", "a chunk's index must be a non-negative integer");
    const sealed = await this.sealed.sealBytes("attachmentChunks", [attachmentId, index], bytes);
    await this.sealed.db.put("attachmentChunks", { attachmentId, index, sealed });
  }

  async *readAttachmentChunks(attachmentId: string): AsyncGenerator<Uint8Array> {
    let from = 0;
    for (;;) {
      const records = await this.sealed.db.getAll("attachmentChunks", chunkRange(attachmentId, from), CHUNK_READ_BATCH);
      for (const record of records) yield await this.sealed.openBytes("attachmentChunks", [attachmentId, record.index], record.sealed);
      if (records.length < CHUNK_READ_BATCH) return;
      from = records[records.length - 1]!.index + 1;
    }
  }

  async deleteAttachmentChunks(attachmentId: string): Promise<void> {
    await this.sealed.db.delete("attachmentChunks", chunkRange(attachmentId));
  }

  exclusive<R>(work: () => Promise<R>): Promise<R> {
    return this.mutex.run(work);
  }

  async atomically<R>(work: (writes: AtomicWrites) => Promise<R>): Promise<R> {
    const buffer = new WriteBuffer(this.direct);
    const result = await work(new SealedValues(buffer, this.identityKeyPair));
    await buffer.commit();
    return result;
  }

  close(): void {
    if (!this.sealed.closed) this.sealed.close();
  }
}
