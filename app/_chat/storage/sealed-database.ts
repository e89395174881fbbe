/**
 * The open database with its cipher: what the storage and the protocol stores share. Values are
 * sealed before a transaction starts and opened after it ends, because a transaction that waits
 * on anything but IndexedDB (WebCrypto here) commits on its own.
 */
import { ChatStorageError } from "./errors";
import type { ChatDb } from "./schema";
import type { RecordKey, StorageCipher } from "./storage-cipher";
import { decodeValue, encodeValue } from "./value-codec";

/** Shared with the connection's callbacks, which close it when another tab deletes the database. */
export interface ConnectionState {
  closed: boolean;
}

export class SealedDatabase {
  constructor(
    private readonly connection: ChatDb,
    private readonly cipher: StorageCipher,
    private readonly state: ConnectionState,
  ) {}

  /** @throws {ChatStorageError} `closed` once the connection is closed. */
  get db(): ChatDb {
    if (this.state.closed) throw new ChatStorageError("closed", "the chat storage is closed");
    return this.connection;
  }

  get closed(): boolean {
    return this.state.closed;
  }

  close(): void {
    this.state.closed = true;
    this.connection.close();
  }

  async sealBytes(storeName: string, key: RecordKey, bytes: Uint8Array): Promise<Uint8Array> {
    const copy = new Uint8Array(bytes);
    try {
      return await this.cipher.seal(storeName, key, copy);
    } finally {
      copy.fill(0);
    }
  }

  /** @throws {ChatStorageError} `corrupt` when the value does not authenticate for this record. */
  openBytes(storeName: string, key: RecordKey, sealed: unknown): Promise<Uint8Array> {
    return this.cipher.open(storeName, key, sealed);
  }

  /** @throws {ChatStorageError} `unsupported_value` for a value outside JSON + `Uint8Array`. */
  sealValue(storeName: string, key: RecordKey, value: unknown): Promise<Uint8Array> {
    return this.cipher.seal(storeName, key, encodeValue(value));
  }

  /**
   * Opens a value and checks that the fields kept in clear for indexing still say what the
   * sealed value says.
   * @throws {ChatStorageError} `corrupt` when it does not authenticate, decode or match.
   */
  async openValue<T>(storeName: string, key: RecordKey, record: { sealed: unknown }, clearFields: readonly string[] = []): Promise<T> {
    const value = decodeValue(await this.cipher.open(storeName, key, record.sealed));
    for (const field of clearFields) {
      if (typeof value !== "object" || value === null || (value as Record<string, unknown>)[field] !== (record as Record<string, unknown>)[field]) {
        throw new ChatStorageError("corrupt", `the clear field ${field} of a record in ${storeName} was changed`);
      }
    }
    return value as T;
  }

  blindIndex(bytes: Uint8Array): Promise<string> {
    return this.cipher.blindIndex(bytes);
  }
}
