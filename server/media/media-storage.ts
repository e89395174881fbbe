// Where media files live, behind a small interface so that another store (object storage) can
// replace the local disk without touching callers. Keys are opaque names made by Hearth.
import "server-only";
import { createReadStream } from "node:fs";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { serverEnv } from "../env";

export interface MediaStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** A stream of the file and its size, or null when it does not exist. */
  read(key: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number } | null>;
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
    async read(key) {
      const file = fileOf(key);
      try {
        const { size } = await stat(file);
        return { stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size };
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

export function previewKeyOf(storageKey: string): string {
  return `${storageKey}.preview.webp`;
}

/** Deletes the full-size file and preview of each key. */
export async function deleteMediaFiles(storageKeys: readonly string[]): Promise<void> {
  const store = mediaStorage();
  await Promise.all(storageKeys.flatMap((key) => [store.delete(key), store.delete(previewKeyOf(key))]));
}
