// Where media files, chat attachment blobs and data exports live: the local disk under
// HEARTH_DATA_DIR (the default), or an S3-compatible store shared by every instance
// (HEARTH_STORAGE=s3), each area under its own prefix.
import "server-only";
import path from "node:path";
import { serverEnv } from "../env";
import { localDiskStorage } from "./local-disk-storage";
import type { MediaStorage } from "./media-store";
import { s3Client, s3Storage } from "./s3-storage";

export type { MediaStorage } from "./media-store";
export { localDiskStorage } from "./local-disk-storage";

type Area = "media" | "chat-attachments" | "exports";

let client: ReturnType<typeof s3Client> | undefined;

/** The configured backend for one area: <HEARTH_DATA_DIR>/<area>, or <bucket>/<area>/. */
function storageFor(area: Area): MediaStorage {
  const env = serverEnv();
  if (env.HEARTH_STORAGE === "local") return localDiskStorage(path.resolve(env.HEARTH_DATA_DIR, area));
  client ??= s3Client({
    endpoint: env.HEARTH_S3_ENDPOINT,
    region: env.HEARTH_S3_REGION,
    bucket: env.HEARTH_S3_BUCKET!,
    accessKeyId: env.HEARTH_S3_ACCESS_KEY_ID,
    secretAccessKey: env.HEARTH_S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.HEARTH_S3_FORCE_PATH_STYLE,
  });
  // The env schema refuses HEARTH_STORAGE=s3 without a bucket.
  return s3Storage({ client, bucket: env.HEARTH_S3_BUCKET!, prefix: `${area}/` });
}

let storage: MediaStorage | undefined;

/** The store of post images, stories and avatars (and their previews). */
export function mediaStorage(): MediaStorage {
  storage ??= storageFor("media");
  return storage;
}

let attachments: MediaStorage | undefined;

/** The store of encrypted chat attachments, apart from media. */
export function attachmentStorage(): MediaStorage {
  attachments ??= storageFor("chat-attachments");
  return attachments;
}

let exports: MediaStorage | undefined;

/** The store of finished data exports (ZIPs), apart from both. */
export function exportStorage(): MediaStorage {
  exports ??= storageFor("exports");
  return exports;
}

export function previewKeyOf(storageKey: string): string {
  return `${storageKey}.preview.webp`;
}

/** Deletes the full-size file and preview of each key. */
export async function deleteMediaFiles(storageKeys: readonly string[]): Promise<void> {
  const store = mediaStorage();
  await Promise.all(storageKeys.flatMap((key) => [store.delete(key), store.delete(previewKeyOf(key))]));
}
