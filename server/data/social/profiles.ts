// Profiles as a viewer sees them, and their owner's edits.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db } from "../db";
import { mediaUrls } from "./post-views";
import { getRelationship, type Relationship } from "./relationships";

export interface ProfileView {
  id: string;
  handle: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  headerUrl: string | null;
  joinedAt: Date;
  isProtected: boolean;
  isSelf: boolean;
  pinnedPostId: string | null;
  counts: { followers: number; following: number; posts: number };
  relationship: Relationship | null;
  /** False for a protected account the viewer does not follow, or one the viewer blocked. */
  canSeePosts: boolean;
}

/** The profile behind a handle; null when there is none or its owner blocked the viewer. */
export async function getProfileByHandle(options: { actor: PersonActor; purpose: "core.profiles"; handle: string }): Promise<ProfileView | null> {
  const viewerId = options.actor.userId;
  const user = await db().user.findUnique({
    where: { handle: options.handle.toLowerCase(), deactivatedAt: null },
    select: {
      id: true,
      handle: true,
      displayName: true,
      createdAt: true,
      profile: true,
    },
  });
  if (!user) return null;
  const isSelf = user.id === viewerId;
  const relationship = isSelf ? null : await getRelationship({ actor: options.actor, purpose: "core.relationships", otherId: user.id });
  if (relationship?.blockedBy) return null;
  const isProtected = user.profile?.isProtected ?? false;
  const canSeePosts = isSelf || (!relationship?.blocking && (!isProtected || Boolean(relationship?.following)));
  return {
    id: user.id,
    handle: user.handle,
    displayName: user.displayName,
    bio: user.profile?.bio ?? "",
    avatarUrl: user.profile?.avatarMediaId ? mediaUrls(user.profile.avatarMediaId).previewUrl : null,
    headerUrl: user.profile?.headerMediaId ? mediaUrls(user.profile.headerMediaId).url : null,
    joinedAt: user.createdAt,
    isProtected,
    isSelf,
    pinnedPostId: canSeePosts ? (user.profile?.pinnedPostId ?? null) : null,
    counts: await countProfileActivity(user.id),
    relationship,
    canSeePosts,
  };
}

/**
 * Follower, following and post counts of one person. Prisma's `_count` would aggregate whole
 * tables; these correlated counts read that person's index entries only.
 */
export async function countProfileActivity(userId: string): Promise<ProfileView["counts"]> {
  const [row] = await db().$queryRaw<ProfileView["counts"][]>`
    SELECT (SELECT count(*) FROM follows WHERE followee_id = ${userId}::uuid)::int AS followers,
           (SELECT count(*) FROM follows WHERE follower_id = ${userId}::uuid)::int AS following,
           (SELECT count(*) FROM posts WHERE author_id = ${userId}::uuid)::int AS posts`;
  return row ?? { followers: 0, following: 0, posts: 0 };
}

export interface ProfileChanges {
  displayName?: string;
  bio?: string;
  isProtected?: boolean;
  /** A freshly uploaded, unused image of the actor's, or null to remove. */
  avatarMediaId?: string | null;
  headerMediaId?: string | null;
  /** One of the actor's own posts, or null to unpin. */
  pinnedPostId?: string | null;
}

/**
 * Changes the actor's profile. Returns the storage keys of replaced avatar/header images, whose
 * files the caller deletes. @throws AppError FORBIDDEN (an image or post that is not the actor's)
 */
export async function updateProfile(options: {
  actor: PersonActor;
  purpose: "core.profiles";
  changes: ProfileChanges;
}): Promise<{ replacedStorageKeys: string[] }> {
  const me = options.actor.userId;
  const { changes } = options;
  return db().$transaction(async (tx) => {
    const current = await tx.profile.findUniqueOrThrow({
      where: { userId: me },
      select: { avatar: { select: { id: true, storageKey: true } }, header: { select: { id: true, storageKey: true } } },
    });
    for (const mediaId of [changes.avatarMediaId, changes.headerMediaId]) {
      if (!mediaId) continue;
      const usable = await tx.media.count({ where: { id: mediaId, ownerId: me, postId: null, story: null, avatarOf: null, headerOf: null } });
      if (!usable) throw new AppError("FORBIDDEN", "That image is not yours or is already used.");
    }
    if (changes.pinnedPostId && !(await tx.post.count({ where: { id: changes.pinnedPostId, authorId: me } }))) {
      throw new AppError("FORBIDDEN", "You can pin only your own posts.");
    }
    if (changes.displayName !== undefined) await tx.user.update({ where: { id: me }, data: { displayName: changes.displayName } });
    await tx.profile.update({
      where: { userId: me },
      data: {
        bio: changes.bio,
        isProtected: changes.isProtected,
        avatarMediaId: changes.avatarMediaId,
        headerMediaId: changes.headerMediaId,
        pinnedPostId: changes.pinnedPostId,
      },
    });
    const replaced = [
      changes.avatarMediaId !== undefined && current.avatar && current.avatar.id !== changes.avatarMediaId ? current.avatar : null,
      changes.headerMediaId !== undefined && current.header && current.header.id !== changes.headerMediaId ? current.header : null,
    ].filter((m): m is { id: string; storageKey: string } => m !== null);
    if (replaced.length) await tx.media.deleteMany({ where: { id: { in: replaced.map((m) => m.id) } } });
    return { replacedStorageKeys: replaced.map((m) => m.storageKey) };
  });
}
