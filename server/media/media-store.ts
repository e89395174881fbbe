// What every media store does: the contract that the local disk and S3 backends both keep (one
// test suite, media-store-contract.test.ts, runs against each). Keys are opaque names made by Hearth.
export interface MediaStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Stores the file at `filePath` (a finished file on this instance's disk) under `key`, streamed, never read into memory whole. */
  putFile(key: string, filePath: string): Promise<void>;
  /**
   * Writes `bytes` durably at byte `at` of the file (made when missing), after dropping whatever lay
   * at or past `at`: a resumable upload appends each part at the offset it recorded, so the bytes
   * of a part that was written but never recorded are replaced, not kept. A key is written either
   * by `put` or by `append`, never both.
   * @throws Error when the file is shorter than `at` (bytes the caller recorded are missing)
   */
  append(key: string, bytes: Uint8Array, options: { at: number }): Promise<void>;
  /** The file's size in bytes, or null when it does not exist. */
  size(key: string): Promise<number | null>;
  /**
   * A stream of the file from byte `start` (0 by default) to its end, and the whole file's size,
   * or null when it does not exist. S3: a ranged GET.
   */
  read(key: string, options?: { start?: number }): Promise<{ stream: ReadableStream<Uint8Array>; size: number } | null>;
  /** Removes the file; a missing file is not an error. */
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** @throws Error unless `key` is a name Hearth makes (no path separators, no "..") */
export function assertMediaKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes("..")) throw new Error(`Invalid media key: ${key}`);
}
