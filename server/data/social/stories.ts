// Stories: a photo or short text for followers, for 24 hours. Expired stories are never served,
// even before the sweeper deletes them (every read compares with `now`); the sweeper then deletes
// the rows, their views and their media for good.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db } from "../db";
import { authorSelect, mediaUrls, toAuthorView, type AuthorView } from "./post-views";
import { authorVisibleTo } from "./visibility";

export const STORY_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface StoryView {
  id: string;
  text: string | null;
  media: { url: string; width: number; height: number; altText: string } | null;
  createdAt: Date;
  expiresAt: Date;
  seen: boolean;
}

export interface StoryReel {
  author: AuthorView;
  stories: StoryView[];
  allSeen: boolean;
}

/** @throws AppError FORBIDDEN (image not the actor's or already used) */
export async function createStory(options: {
  actor: PersonActor;
  purpose: "core.stories";
  text: string | null;
  media: { id: string; altText: string } | null;
  now?: Date;
}): Promise<{ id: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const me = options.actor.userId;
  return db().$transaction(async (tx) => {
    if (options.media) {
      const { count } = await tx.media.updateMany({
        where: { id: options.media.id, ownerId: me, postId: null, story: null, avatarOf: null, headerOf: null },
        data: { altText: options.media.altText },
      });
      if (!count) throw new AppError("FORBIDDEN", "That image is not yours or is already used.");
    }
    const story = await tx.story.create({
      data: { authorId: me, text: options.text, mediaId: options.media?.id ?? null, createdAt: now, expiresAt: new Date(now.getTime() + STORY_LIFETIME_MS) },
    });
    return { id: story.id, expiresAt: story.expiresAt };
  });
}

/** Live stories of the viewer and of the people they follow (not muted), newest reels first. */
export async function listStoryReels(options: { actor: PersonActor; purpose: "core.stories"; now?: Date }): Promise<StoryReel[]> {
  const me = options.actor.userId;
  const now = options.now ?? new Date();
  const stories = await db().story.findMany({
    where: {
      expiresAt: { gt: now },
      author: {
        AND: [authorVisibleTo(me), { mutesReceived: { none: { muterId: me } } }],
        OR: [{ id: me }, { followers: { some: { followerId: me } } }],
      },
    },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      text: true,
      createdAt: true,
      expiresAt: true,
      author: { select: authorSelect },
      media: { select: { id: true, width: true, height: true, altText: true } },
      views: { where: { viewerId: me }, select: { viewerId: true } },
    },
  });
  const reels = new Map<string, StoryReel>();
  for (const story of stories) {
    const reel = reels.get(story.author.id) ?? { author: toAuthorView(story.author), stories: [], allSeen: true };
    const seen = story.author.id === me || story.views.length > 0;
    reel.stories.push({
      id: story.id,
      text: story.text,
      media: story.media ? { url: mediaUrls(story.media.id).url, width: story.media.width, height: story.media.height, altText: story.media.altText } : null,
      createdAt: story.createdAt,
      expiresAt: story.expiresAt,
      seen,
    });
    reel.allSeen &&= seen;
    reels.set(story.author.id, reel);
  }
  return [...reels.values()].sort(
    (a, b) => Number(a.allSeen) - Number(b.allSeen) || b.stories.at(-1)!.createdAt.getTime() - a.stories.at(-1)!.createdAt.getTime(),
  );
}

/** Records that the viewer saw a story. @throws AppError NOT_FOUND (expired or not visible) */
export async function markStorySeen(options: { actor: PersonActor; purpose: "core.stories"; storyId: string; now?: Date }): Promise<void> {
  const me = options.actor.userId;
  const now = options.now ?? new Date();
  const story = await db().story.findFirst({
    where: {
      id: options.storyId,
      expiresAt: { gt: now },
      author: { AND: [authorVisibleTo(me)], OR: [{ id: me }, { followers: { some: { followerId: me } } }] },
    },
    select: { authorId: true },
  });
  if (!story) throw new AppError("NOT_FOUND", "That story is no longer available.");
  if (story.authorId === me) return;
  await db().storyView.upsert({
    where: { storyId_viewerId: { storyId: options.storyId, viewerId: me } },
    create: { storyId: options.storyId, viewerId: me, viewedAt: now },
    update: {},
  });
}

/** Who saw one of the actor's own live stories. @throws AppError NOT_FOUND */
export async function listStoryViewers(options: { actor: PersonActor; purpose: "core.stories"; storyId: string; now?: Date }) {
  const now = options.now ?? new Date();
  const story = await db().story.findFirst({
    where: { id: options.storyId, authorId: options.actor.userId, expiresAt: { gt: now } },
    select: { views: { orderBy: { viewedAt: "desc" }, select: { viewedAt: true, viewer: { select: authorSelect } } } },
  });
  if (!story) throw new AppError("NOT_FOUND", "That story is no longer available.");
  return story.views.map((v) => ({ viewedAt: v.viewedAt, viewer: toAuthorView(v.viewer) }));
}

/** Deletes every expired story with its views and media rows; returns the files to delete. */
export async function deleteExpiredStories(options: { purpose: "core.stories"; now?: Date }): Promise<{ deleted: number; storageKeys: string[] }> {
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    const expired = await tx.story.findMany({
      where: { expiresAt: { lte: now } },
      select: { id: true, mediaId: true, media: { select: { storageKey: true } } },
    });
    if (!expired.length) return { deleted: 0, storageKeys: [] };
    await tx.story.deleteMany({ where: { id: { in: expired.map((s) => s.id) } } });
    const mediaIds = expired.flatMap((s) => (s.mediaId ? [s.mediaId] : []));
    if (mediaIds.length) await tx.media.deleteMany({ where: { id: { in: mediaIds } } });
    return { deleted: expired.length, storageKeys: expired.flatMap((s) => (s.media ? [s.media.storageKey] : [])) };
  });
}
