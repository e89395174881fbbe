// Uploaded images and who may see them. The rules, in one place (one query, no read-then-check):
// - an upload not yet used anywhere is seen only by its owner;
// - an image in a post is seen by whoever may see the post's author (visibility.ts);
// - an avatar or header is seen by anyone not blocked with its owner, so a protected account
//   still shows its face;
// - a story's image is seen by its author and followers until the story expires, then by no one.
import "server-only";
import type { PersonActor, Purpose } from "../actor";
import { db, type Prisma } from "../db";
import { authorVisibleTo, notBlockedWith } from "./visibility";

type MediaPurpose = Extract<Purpose, "core.media">;

/** A stored image as the media routes need it. */
export interface ViewableMedia {
  storageKey: string;
  mimeType: string;
  ownerId: string;
  /**
   * Whether anyone signed in (and not blocked) may see it: post, avatar or header images of an
   * unprotected account. Only these may be cached for long; the rest can stop being visible.
   */
  isPublic: boolean;
}

/** Records an uploaded image, owned by the actor and not yet used anywhere. */
export async function createMedia(options: {
  actor: PersonActor;
  purpose: MediaPurpose;
  storageKey: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
}): Promise<{ id: string }> {
  return db().media.create({
    data: {
      ownerId: options.actor.userId,
      storageKey: options.storageKey,
      mimeType: options.mimeType,
      width: options.width,
      height: options.height,
      bytes: options.bytes,
    },
    select: { id: true },
  });
}

/**
 * The image `mediaId` if `actor` may see it; null when it does not exist or is hidden from
 * them, which callers must not tell apart (existence is not revealed).
 */
export async function findMediaForViewer(options: { actor: PersonActor; purpose: MediaPurpose; mediaId: string; now?: Date }): Promise<ViewableMedia | null> {
  const viewerId = options.actor.userId;
  const now = options.now ?? new Date();
  const visible: Prisma.MediaWhereInput[] = [
    { ownerId: viewerId, ...unattached },
    { post: { author: authorVisibleTo(viewerId) } },
    { avatarOf: { user: notBlockedWith(viewerId) } },
    { headerOf: { user: notBlockedWith(viewerId) } },
    {
      story: {
        expiresAt: { gt: now },
        OR: [{ authorId: viewerId }, { author: { ...notBlockedWith(viewerId), followers: { some: { followerId: viewerId } } } }],
      },
    },
  ];
  const media = await db().media.findFirst({
    where: { id: options.mediaId, OR: visible },
    select: {
      storageKey: true,
      mimeType: true,
      ownerId: true,
      post: { select: { author: { select: { profile: { select: { isProtected: true } } } } } },
      avatarOf: { select: { isProtected: true } },
      headerOf: { select: { isProtected: true } },
      story: { select: { id: true } },
    },
  });
  if (!media) return null;
  // A missing profile counts as protected: caching by mistake cannot be taken back.
  const postIsPublic = media.post ? media.post.author.profile?.isProtected === false : false;
  const profileImageIsPublic = (media.avatarOf ?? media.headerOf)?.isProtected === false;
  return {
    storageKey: media.storageKey,
    mimeType: media.mimeType,
    ownerId: media.ownerId,
    isPublic: !media.story && (postIsPublic || profileImageIsPublic),
  };
}

const unattached = { postId: null, avatarOf: null, headerOf: null, story: null } satisfies Prisma.MediaWhereInput;

/**
 * Deletes uploads that were never used (no post, avatar, header or story) and were made before
 * `olderThan`. One statement: an image being attached to a post at that moment is either kept or
 * refused to the post (createPost's conditional update waits on the row lock). Returns the
 * storage keys, whose files the caller deletes with deleteMediaFiles.
 */
export async function deleteUnattachedMediaOlderThan(options: { olderThan: Date }): Promise<string[]> {
  const rows = await db().$queryRaw<{ storage_key: string }[]>`
    DELETE FROM media m
    WHERE m.created_at < ${options.olderThan}
      AND m.post_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM profiles p WHERE p.avatar_media_id = m.id OR p.header_media_id = m.id)
      AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.media_id = m.id)
    RETURNING m.storage_key`;
  return rows.map((row) => row.storage_key);
}
