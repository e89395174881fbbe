// Writing posts: create (with replies, quotes, media, mentions and hashtags), edit within the
// hour with history kept, delete. Notifications for replies, quotes and mentions are written in
// the same transaction as the post.
import "server-only";
import { extractMentionsAndHashtags } from "@/app/_shared/isomorphic/post-text";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db, Prisma } from "../db";
import { uuidV7 } from "../uuid-v7";
import { EDIT_WINDOW_MS } from "./post-views";
import { notBlockedWith, postVisibleTo } from "./visibility";

export const MAX_MEDIA_PER_POST = 4;

type Tx = Prisma.TransactionClient;

export interface NewPost {
  text: string;
  contentWarning: string | null;
  replyToId: string | null;
  quoteOfId: string | null;
  media: { id: string; altText: string }[];
  /** The composer's name for the post: sending it again returns the post already stored. */
  clientRequestId?: string | undefined;
}

/**
 * @throws AppError NOT_FOUND (reply or quote target not visible) | FORBIDDEN (quoting a protected
 * post, media not the author's or already used)
 */
export async function createPost(options: { actor: PersonActor; purpose: "core.posts"; post: NewPost; now?: Date }): Promise<{ id: string }> {
  const { actor, post } = options;
  const authorId = actor.userId;
  const clientRequestId = post.clientRequestId ?? null;
  const stored = () =>
    clientRequestId ? db().post.findUnique({ where: { authorId_clientRequestId: { authorId, clientRequestId } }, select: { id: true } }) : null;
  const earlier = await stored();
  if (earlier) return earlier;
  try {
    return await insertPost({ ...options, clientRequestId });
  } catch (error) {
    // The same post sent twice at once (a retry racing the first attempt): the first one stored wins.
    const winner = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" ? await stored() : null;
    if (winner) return winner;
    throw error;
  }
}

async function insertPost(options: { actor: PersonActor; post: NewPost; now?: Date; clientRequestId: string | null }): Promise<{ id: string }> {
  const { actor, post, clientRequestId } = options;
  const now = options.now ?? new Date();
  const authorId = actor.userId;
  return db().$transaction(async (tx) => {
    const replyTo = post.replyToId
      ? await tx.post.findFirst({ where: { id: post.replyToId, ...postVisibleTo(authorId) }, select: { id: true, rootId: true, authorId: true } })
      : null;
    if (post.replyToId && !replyTo) throw new AppError("NOT_FOUND", "The post you reply to is not available.");

    const quoted = post.quoteOfId
      ? await tx.post.findFirst({
          where: { id: post.quoteOfId, ...postVisibleTo(authorId) },
          select: { id: true, authorId: true, author: { select: { profile: { select: { isProtected: true } } } } },
        })
      : null;
    if (post.quoteOfId && !quoted) throw new AppError("NOT_FOUND", "The post you quote is not available.");
    if (quoted && quoted.authorId !== authorId && quoted.author.profile?.isProtected) {
      throw new AppError("FORBIDDEN", "Posts of protected accounts cannot be quoted.");
    }

    const id = uuidV7(now.getTime());
    await tx.post.create({
      data: {
        id,
        authorId,
        text: post.text,
        contentWarning: post.contentWarning,
        replyToId: replyTo?.id ?? null,
        replyToAuthorId: replyTo?.authorId ?? null,
        rootId: replyTo?.rootId ?? id,
        quoteOfId: quoted?.id ?? null,
        createdAt: now,
        clientRequestId,
      },
    });
    await attachMedia(tx, { authorId, postId: id, media: post.media });
    const mentioned = await syncMentionsAndHashtags(tx, { postId: id, authorId, text: post.text, createdAt: now });

    const notifications: Prisma.NotificationCreateManyInput[] = [];
    if (replyTo && replyTo.authorId !== authorId)
      notifications.push({ recipientId: replyTo.authorId, actorId: authorId, kind: "reply", postId: id, createdAt: now });
    if (quoted && quoted.authorId !== authorId)
      notifications.push({ recipientId: quoted.authorId, actorId: authorId, kind: "quote", postId: id, createdAt: now });
    const alreadyTold = new Set(notifications.map((n) => n.recipientId));
    for (const userId of mentioned) {
      if (!alreadyTold.has(userId)) notifications.push({ recipientId: userId, actorId: authorId, kind: "mention", postId: id, createdAt: now });
    }
    if (notifications.length) await tx.notification.createMany({ data: notifications });
    return { id };
  });
}

async function attachMedia(tx: Tx, options: { authorId: string; postId: string; media: NewPost["media"] }): Promise<void> {
  if (options.media.length === 0) return;
  if (options.media.length > MAX_MEDIA_PER_POST) throw new AppError("FORBIDDEN", `At most ${MAX_MEDIA_PER_POST} images per post.`);
  for (const [position, item] of options.media.entries()) {
    const { count } = await tx.media.updateMany({
      where: { id: item.id, ownerId: options.authorId, postId: null, avatarOf: null, headerOf: null, story: null },
      data: { postId: options.postId, position, altText: item.altText },
    });
    if (count !== 1) throw new AppError("FORBIDDEN", "An image is not yours or is already used.");
  }
}

/** Rewrites the post's hashtags and mentions from its text; returns newly mentioned user ids. */
async function syncMentionsAndHashtags(tx: Tx, options: { postId: string; authorId: string; text: string; createdAt: Date }): Promise<string[]> {
  const { handles, tags } = extractMentionsAndHashtags(options.text);
  await tx.postHashtag.deleteMany({ where: { postId: options.postId } });
  if (tags.length) {
    await tx.postHashtag.createMany({ data: tags.map((tag) => ({ postId: options.postId, tag, createdAt: options.createdAt })) });
  }
  const people = handles.length
    ? await tx.user.findMany({ where: { handle: { in: handles }, id: { not: options.authorId }, ...notBlockedWith(options.authorId) }, select: { id: true } })
    : [];
  const before = await tx.postMention.findMany({ where: { postId: options.postId }, select: { userId: true } });
  const known = new Set(before.map((m) => m.userId));
  await tx.postMention.deleteMany({ where: { postId: options.postId } });
  if (people.length) await tx.postMention.createMany({ data: people.map((p) => ({ postId: options.postId, userId: p.id })) });
  return people.map((p) => p.id).filter((id) => !known.has(id));
}

/**
 * Replaces the text of one's own post within an hour of posting; the previous version is kept
 * and shown to readers as the edit history.
 * @throws AppError NOT_FOUND (no such post, or one the actor cannot see) | FORBIDDEN (not the author, or the hour has passed)
 */
export async function editPost(options: {
  actor: PersonActor;
  purpose: "core.posts";
  postId: string;
  text: string;
  contentWarning: string | null;
  now?: Date;
}): Promise<void> {
  const now = options.now ?? new Date();
  await db().$transaction(async (tx) => {
    const post = await tx.post.findUnique({ where: { id: options.postId } });
    if (!post) throw new AppError("NOT_FOUND", "No such post.");
    if (post.authorId !== options.actor.userId) throw await notTheAuthor(tx, options, "Only the author can edit a post.");
    if (now.getTime() - post.createdAt.getTime() >= EDIT_WINDOW_MS) throw new AppError("FORBIDDEN", "Posts can be edited only within an hour.");
    await tx.postEdit.create({
      data: { postId: post.id, text: post.text, contentWarning: post.contentWarning, writtenAt: post.editedAt ?? post.createdAt },
    });
    await tx.post.update({ where: { id: post.id }, data: { text: options.text, contentWarning: options.contentWarning, editedAt: now } });
    const newlyMentioned = await syncMentionsAndHashtags(tx, { postId: post.id, authorId: post.authorId, text: options.text, createdAt: post.createdAt });
    if (newlyMentioned.length) {
      await tx.notification.createMany({
        data: newlyMentioned.map((recipientId) => ({ recipientId, actorId: post.authorId, kind: "mention" as const, postId: post.id, createdAt: now })),
      });
    }
  });
}

/**
 * The refusal for someone else's post: FORBIDDEN where the actor can see it, NOT_FOUND where not, as
 * reading it would answer, so that a post one may not see cannot be told from no post.
 */
async function notTheAuthor(tx: Prisma.TransactionClient, options: { actor: PersonActor; postId: string }, message: string): Promise<AppError> {
  const visible = await tx.post.count({ where: { id: options.postId, ...postVisibleTo(options.actor.userId) } });
  return visible ? new AppError("FORBIDDEN", message) : new AppError("NOT_FOUND", "No such post.");
}

export async function listPostEdits(options: { actor: PersonActor; purpose: "core.posts"; postId: string }) {
  const post = await db().post.findFirst({ where: { id: options.postId, ...postVisibleTo(options.actor.userId) }, select: { id: true } });
  if (!post) throw new AppError("NOT_FOUND", "No such post.");
  return db().postEdit.findMany({
    where: { postId: post.id },
    orderBy: { writtenAt: "desc" },
    select: { id: true, text: true, contentWarning: true, writtenAt: true },
  });
}

/**
 * Deletes one's own post with its media rows; returns the storage keys whose files the caller
 * must delete.
 * @throws AppError NOT_FOUND (no such post, or one the actor cannot see) | FORBIDDEN (not the author)
 */
export async function deletePost(options: { actor: PersonActor; purpose: "core.posts"; postId: string }): Promise<{ storageKeys: string[] }> {
  return db().$transaction(async (tx) => {
    const post = await tx.post.findUnique({ where: { id: options.postId }, select: { authorId: true, media: { select: { storageKey: true } } } });
    if (!post) throw new AppError("NOT_FOUND", "No such post.");
    if (post.authorId !== options.actor.userId) throw await notTheAuthor(tx, options, "Only the author can delete a post.");
    await tx.post.delete({ where: { id: options.postId } });
    return { storageKeys: post.media.map((m) => m.storageKey) };
  });
}
