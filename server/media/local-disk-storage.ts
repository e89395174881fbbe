// MediaStorage on the local disk (the default): one file per key, fanned out by the key's first
// two characters. Appends are fsynced before they return, since the caller records the new length next.
import "server-only";
import { constants, createReadStream } from "node:fs";
import { copyFile, mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { assertMediaKey, type MediaStorage } from "./media-store";

export function localDiskStorage(root: string): MediaStorage {
  // Two levels of fan-out keep directories small.
  const fileOf = (key: string) => {
    assertMediaKey(key);
    return path.join(root, key.slice(0, 2), key);
  };
  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes, { mode: 0o600 });
    },
    async putFile(key, filePath) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // A rename is atomic: a reader sees the whole file or none. Across file systems, a copy.
      await rename(filePath, file).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== "EXDEV") throw error;
        await copyFile(filePath, file);
      });
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
