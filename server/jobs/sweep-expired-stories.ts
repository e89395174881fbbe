// Deletes stories past their 24 hours, with their views and their media files, for good.
import "server-only";
import { deleteExpiredStories } from "../data/social/stories";
import { deleteMediaFiles } from "../media/media-storage";

export async function sweepExpiredStories(now = new Date()): Promise<number> {
  const { deleted, storageKeys } = await deleteExpiredStories({ purpose: "core.stories", now });
  await deleteMediaFiles(storageKeys);
  return deleted;
}
