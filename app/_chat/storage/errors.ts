/**
 * Every failure of the chat storage that a caller may branch on is a `ChatStorageError` with a
 * code; the message never holds stored values, keys or the storage secret.
 */
export type ChatStorageErrorCode =
  /** The storage secret does not open this database (the check value in `meta` does not decrypt). */
  | "wrong_secret"
  /** The storage secret is not 32 bytes. */
  | "invalid_secret"
  /** No database for this user, and no identity key pair was given to create one. */
  | "not_found"
  /** The database exists and holds another identity key pair than the one given. */
  | "identity_mismatch"
  /** A stored value that does not authenticate or decode: damaged, tampered with, or moved to another key. */
  | "corrupt"
  /** A value the codec cannot store (only JSON values and `Uint8Array` are allowed). */
  | "unsupported_value"
  /** The offline passphrase does not open this device's offline copy of the storage secret (nothing changed). */
  | "wrong_passphrase"
  /** The storage was closed (by `close()`, or because another connection deleted or upgraded the database). */
  | "closed";

export class ChatStorageError extends Error {
  override readonly name = "ChatStorageError";

  constructor(
    readonly code: ChatStorageErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

/** True when `error` is a `ChatStorageError`, and has `code` when one is given. */
export function isChatStorageError(error: unknown, code?: ChatStorageErrorCode): error is ChatStorageError {
  return error instanceof ChatStorageError && (code === undefined || error.code === code);
}
