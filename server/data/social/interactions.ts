// Likes, reposts and private bookmarks. Each is idempotent (liking twice is one like), and each
// refuses posts the actor may not see. Likes and reposts tell the author; bookmarks tell no one.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db, type Prisma } from "../db";
import { postVisibleTo } from "./visibility";

type Tx = Prisma.TransactionClient;

async function visiblePostAuthor(tx: Tx, viewerId: string, postId: string): Promise<{ authorId: string; isProtected: boolean }> {
  const post = await tx.post.findFirst({
    where: { id: postId, ...postVisibleTo(viewerId) },
    select: { authorId: true, author: { select: { profile: { select: { isProtected: true } } } } },
  });
  if (!post) throw new AppError("NOT_FOUND", "That post is not available.");
  return { authorId: post.authorId, isProtected: post.author.profile?.isProtected ?? false };
}

/** @throws AppError NOT_FOUND */
export async function setLike(options: { actor: PersonActor; purpose: "core.posts"; postId: string; liked: boolean }): Promise<void> {
  const { userId } = options.actor;
  await db().$transaction(async (tx) => {
    const { authorId } = await visiblePostAuthor(tx, userId, options.postId);
    if (options.liked) {
      const created = await tx.like.createMany({ data: [{ userId, postId: options.postId }], skipDuplicates: true });
      if (created.count && authorId !== userId) {
        await tx.notification.create({ data: { recipientId: authorId, actorId: userId, kind: "like", postId: options.postId } });
      }
    } else {
      await tx.like.deleteMany({ where: { userId, postId: options.postId } });
      await tx.notification.deleteMany({ where: { actorId: userId, postId: options.postId, kind: "like" } });
    }
  });
}

/** @throws AppError NOT_FOUND | FORBIDDEN (a protected account's post cannot be reposted) */
export async function setRepost(options: { actor: PersonActor; purpose: "core.posts"; postId: string; reposted: boolean }): Promise<void> {
  const { userId } = options.actor;
  await db().$transaction(async (tx) => {
    const { authorId, isProtected } = await visiblePostAuthor(tx, userId, options.postId);
    if (options.reposted) {
      if (isProtected && authorId !== userId) throw new AppError("FORBIDDEN", "Posts of protected accounts cannot be reposted.");
      const created = await tx.repost.createMany({ data: [{ userId, postId: options.postId }], skipDuplicates: true });
      if (created.count && authorId !== userId) {
        await tx.notification.create({ data: { recipientId: authorId, actorId: userId, kind: "repost", postId: options.postId } });
      }
    } else {
      await tx.repost.deleteMany({ where: { userId, postId: options.postId } });
      await tx.notification.deleteMany({ where: { actorId: userId, postId: options.postId, kind: "repost" } });
    }
  });
}

/** @throws AppError NOT_FOUND */
export async function setBookmark(options: { actor: PersonActor; purpose: "core.posts"; postId: string; bookmarked: boolean }): Promise<void> {
  const { userId } = options.actor;
  await db().$transaction(async (tx) => {
    await visiblePostAuthor(tx, userId, options.postId);
    if (options.bookmarked) await tx.bookmark.createMany({ data: [{ userId, postId: options.postId }], skipDuplicates: true });
    else await tx.bookmark.deleteMany({ where: { userId, postId: options.postId } });
  });
}
