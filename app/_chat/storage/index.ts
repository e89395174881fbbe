/**
 * The chat module's browser storage: IndexedDB, every value sealed at rest with a key that
 * needs both this browser's non-extractable base key and the account's storage secret.
 * One tab owns a user's database at a time: the engine holds a Web Locks API lock for it
 * (`navigator.locks.request`), and the storage itself only serializes `exclusive` work.
 */
export {
  chatStorageExists,
  deleteChatStorage,
  openChatStorage,
  type AtomicWrites,
  type ChatStorage,
  type OpenChatStorageOptions,
  type OutboxItem,
  type StoredConversation,
  type StoredMessage,
} from "./chat-storage";
export { forgetLegacyOfflineUnlock, forgetOfflineUnlock, hasOfflineUnlock, keepOfflineUnlock, openOfflineUnlock } from "./offline-unlock";
export { forgetEveryOfflineUnlock } from "./forget-offline-unlocks";
export { ChatStorageError, isChatStorageError, type ChatStorageErrorCode } from "./errors";
export type { ChatKyberPreKeyStore, ChatPreKeyStore, ChatProtocolStores, ChatSessionStore, ChatSignedPreKeyStore } from "./indexed-db-protocol-stores";
