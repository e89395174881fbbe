/**
 * The IndexedDB schema of the chat storage: one database per user. Only what IndexedDB must
 * index stays in clear (record ids, conversation ids, sort and creation times, protocol
 * addresses and prekey ids); the rest of every record is the `sealed` field (see
 * `storage-cipher.ts`), and a sealed value also repeats the clear fields so that a reader can
 * tell when they were changed.
 */
import type { DBSchema, IDBPDatabase } from "idb";

/** 1: the first schema; 2: local copies of attachments (`attachmentChunks`). */
export const CHAT_DB_VERSION = 2;

export function chatDatabaseName(userId: string): string {
  return `hearth-chat:${userId}`;
}

export interface SealedRecord {
  sealed: Uint8Array;
}

/** Keys of the `meta` store. */
export const META_BASE_KEY = "baseKey";
export const META_CHECK = "check";
export const META_IDENTITY_KEY_PAIR = "identityKeyPair";
/** The storage secret sealed under a key needing the base key and the offline passphrase, when the person set one (offline-unlock.ts). */
export const META_OFFLINE_UNLOCK = "offlineUnlock";

export interface ChatDbSchema extends DBSchema {
  /**
   * The HKDF base key, the sealed check value, the sealed identity key pair. The base key is
   * stored as the non-extractable `CryptoKey` itself: IndexedDB structured-clones it, in
   * browsers and with fake-indexeddb under Node (whose `structuredClone` clones a `CryptoKey`
   * too), so no raw key bytes ever pass through our code after creation.
   */
  meta: { key: string; value: CryptoKey | Uint8Array };
  values: { key: string; value: SealedRecord & { key: string } };
  conversations: {
    key: string;
    value: SealedRecord & { id: string; lastActivityAt: number };
    indexes: { lastActivityAt: number };
  };
  messages: {
    key: string;
    value: SealedRecord & { id: string; conversationId: string; sortAt: number };
    indexes: { conversationId_sortAt: [string, number]; sortAt_id: [number, string] };
  };
  outbox: { key: string; value: SealedRecord & { id: string; createdAt: number }; indexes: { createdAt: number } };
  /** Keyed by `deviceId.userId`. */
  identities: { key: string; value: SealedRecord & { address: string } };
  sessions: { key: string; value: SealedRecord & { address: string } };
  preKeys: { key: number; value: SealedRecord & { id: number } };
  signedPreKeys: { key: number; value: SealedRecord & { id: number } };
  kyberPreKeys: { key: number; value: SealedRecord & { id: number } };
  /** Handshakes that used a last-resort ML-KEM prekey; the base key only as a blind index. */
  kyberPreKeyUses: {
    key: [number, string];
    value: SealedRecord & { kyberPreKeyId: number; baseKeyIndex: string };
  };
  /**
   * Local copies of attachments, in pieces of their plaintext: keyed by this device's id for the
   * attachment (never one a sender chose) and the piece's place. Sealed as raw bytes, the
   * additional data binding each piece to its key, so a piece moved or reordered does not open.
   */
  attachmentChunks: {
    key: [string, number];
    value: SealedRecord & { attachmentId: string; index: number };
  };
}

export type ChatDb = IDBPDatabase<ChatDbSchema>;

/**
 * Brings the schema from `oldVersion` to `newVersion` (CHAT_DB_VERSION but in the upgrade's
 * tests), inside the upgrade transaction. Each step only adds: what an older version stored stays.
 */
export function upgradeChatDb(db: ChatDb, oldVersion: number, newVersion: number = CHAT_DB_VERSION): void {
  if (oldVersion < 1 && newVersion >= 1) {
    db.createObjectStore("meta");
    db.createObjectStore("values", { keyPath: "key" });
    db.createObjectStore("conversations", { keyPath: "id" }).createIndex("lastActivityAt", "lastActivityAt");
    const messages = db.createObjectStore("messages", { keyPath: "id" });
    messages.createIndex("conversationId_sortAt", ["conversationId", "sortAt"]);
    messages.createIndex("sortAt_id", ["sortAt", "id"]);
    db.createObjectStore("outbox", { keyPath: "id" }).createIndex("createdAt", "createdAt");
    db.createObjectStore("identities", { keyPath: "address" });
    db.createObjectStore("sessions", { keyPath: "address" });
    db.createObjectStore("preKeys", { keyPath: "id" });
    db.createObjectStore("signedPreKeys", { keyPath: "id" });
    db.createObjectStore("kyberPreKeys", { keyPath: "id" });
    db.createObjectStore("kyberPreKeyUses", { keyPath: ["kyberPreKeyId", "baseKeyIndex"] });
  }
  if (oldVersion < 2 && newVersion >= 2) db.createObjectStore("attachmentChunks", { keyPath: ["attachmentId", "index"] });
}
