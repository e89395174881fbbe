// Where media files and chat attachment blobs live, behind a small interface so that another store
// (object storage) can replace the local disk without touching callers. Keys are opaque names made
// by Hearth.
import "server-only";
import { constants, createReadStream } from "node:fs";
import { mkdir, open, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { serverEnv } from "../env";

export interface MediaStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Writes `bytes` durably at byte `at` of the file (made when missing), after dropping whatever lay
   * at or past `at`: a resumable upload appends each part at the offset it recorded, so the bytes
   * of a part that was written but never recorded are replaced, not kept. An S3 store would keep
   * one multipart upload per key, a part per append (small parts gathered up to S3's 5 MiB
   * minimum), cut its part list back to `at`, and complete the upload with the last part.
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

function assertKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes("..")) throw new Error(`Invalid media key: ${key}`);
}

export function localDiskStorage(root: string): MediaStorage {
  // Two levels of fan-out keep directories small.
  const fileOf = (key: string) => {
    assertKey(key);
    return path.join(root, key.slice(0, 2), key);
  };
  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes, { mode: 0o600 });
    },
    async append(key, bytes, { at }) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const handle = await open(file, constants.O_RDWR | constants.O_CREAT, 0o600);
      try {
        const { size } = await handle.stat();
        if (size < at) throw new Error(`Media file ${key} holds ${size} bytes, fewer than the ${at} recorded.`);
        await handle.truncate(at);
        for (let written = 0; written < bytes.byteLength;) {
          written += (await handle.write(bytes, written, bytes.byteLength - written, at + written)).bytesWritten;
        }
        // The caller records the new length next: the bytes must be on disk before it does.
        await handle.datasync();
      } finally {
        await handle.close();
      }
    },
    async size(key) {
      try {
        return (await stat(fileOf(key))).size;
      } catch {
        return null;
      }
    },
    async read(key, options = {}) {
      const file = fileOf(key);
      try {
        const { size } = await stat(file);
        return { stream: Readable.toWeb(createReadStream(file, { start: options.start ?? 0 })) as ReadableStream<Uint8Array>, size };
      } catch {
        return null;
      }
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}

let storage: MediaStorage | undefined;

/** The configured store: local disk under <HEARTH_DATA_DIR>/media. */
export function mediaStorage(): MediaStorage {
  storage ??= localDiskStorage(path.resolve(serverEnv().HEARTH_DATA_DIR, "media"));
  return storage;
}

let attachments: MediaStorage | undefined;

/** The store of encrypted chat attachments: local disk under <HEARTH_DATA_DIR>/chat-attachments, apart from media. */
export function attachmentStorage(): MediaStorage {
  attachments ??= localDiskStorage(path.resolve(serverEnv().HEARTH_DATA_DIR, "chat-attachments"));
  return attachments;
}

export function previewKeyOf(storageKey: string): string {
  return `${storageKey}.preview.webp`;
}

/** Deletes the full-size file and preview of each key. */
export async function deleteMediaFiles(storageKeys: readonly string[]): Promise<void> {
  const store = mediaStorage();
  await Promise.all(storageKeys.flatMap((key) => [store.delete(key), store.delete(previewKeyOf(key))]));
}
