// Deletes images uploaded but never used in a post, profile or story within a day.
import "server-only";
import { deleteUnattachedMediaOlderThan } from "../data/social/media";
import { deleteMediaFiles } from "../media/media-storage";

const DAY_MS = 24 * 60 * 60 * 1000;

export async function sweepUnusedUploads(now = new Date()): Promise<number> {
  const storageKeys = await deleteUnattachedMediaOlderThan({ olderThan: new Date(now.getTime() - DAY_MS) });
  await deleteMediaFiles(storageKeys);
  return storageKeys.length;
}
