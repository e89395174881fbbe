// Every list of posts Hearth shows, strictly chronological, paged by keyset (never OFFSET).
// Each returns ids and positions; loadPostViews then applies visibility and builds the views.
import "server-only";
import type { PersonActor } from "../actor";
import { db, Prisma } from "../db";
import { decodeCursor, encodeCursor, firstPage, NIL_UUID } from "./cursor";
import { loadAuthorViews, loadPostViews, type AuthorView, type PostView } from "./post-views";
import { before, homeSources, mergeHomeSources, readHomeFeed, type EntryRow } from "./home-feed";
import { postVisibleTo, sqlAuthorVisibleTo } from "./visibility";

export const PAGE_SIZE = 20;

export interface TimelineEntry {
  /** Unique within a timeline: a post can appear itself and as reposts by several people. */
  key: string;
  post: PostView;
  repostedBy: AuthorView | null;
}

export interface TimelinePage {
  entries: TimelineEntry[];
  nextCursor: string | null;
}

async function hydrate(actor: PersonActor, rows: EntryRow[], limit: number): Promise<TimelinePage> {
  const page = rows.slice(0, limit);
  const [posts, reposters] = await Promise.all([
    loadPostViews({ actor, postIds: page.map((r) => r.post_id) }),
    loadAuthorViews(page.flatMap((r) => (r.reposter_id ? [r.reposter_id] : []))),
  ]);
  const entries: TimelineEntry[] = [];
  for (const row of page) {
    const post = posts.get(row.post_id);
    if (!post) continue;
    entries.push({ key: `${row.post_id}:${row.reposter_id ?? ""}`, post, repostedBy: row.reposter_id ? (reposters.get(row.reposter_id) ?? null) : null });
  }
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ at: last.sort_at, postId: last.post_id, reposterId: last.reposter_id ?? NIL_UUID }) : null;
  return { entries, nextCursor };
}

/**
 * The home timeline: posts and reposts by the people the viewer follows and by the viewer,
 * newest first, without muted accounts. Read from the viewer's fanned-out feed (one index range
 * scan); past the point from which the feed is complete, the fan-in way.
 */
export async function listHomeTimeline(options: {
  actor: PersonActor;
  purpose: "core.timeline";
  cursor?: string | null;
  limit?: number;
}): Promise<TimelinePage> {
  const limit = options.limit ?? PAGE_SIZE;
  const position = decodeCursor(options.cursor) ?? firstPage();
  const fromFeed = await readHomeFeed({ viewerId: options.actor.userId, position, limit });
  // A short page means the feed's end (or its horizon) was reached: the fan-in read is complete.
  const rows = fromFeed.length > limit ? fromFeed : await mergeHomeSources({ viewerId: options.actor.userId, position, limit });
  return hydrate(options.actor, rows, limit);
}

/** How many home-timeline posts and reposts are newer than `since` (the "new posts" pill). */
export async function countNewHomeEntries(options: { actor: PersonActor; purpose: "core.timeline"; since: Date }): Promise<number> {
  const { since } = options;
  const viewerId = options.actor.userId;
  const [row] = await db().$queryRaw<{ n: number }[]>`
    WITH ${homeSources(viewerId)}
    SELECT (SELECT count(*) FROM posts p JOIN sources s ON p.author_id = s.id WHERE p.created_at > ${since} AND p.author_id <> ${viewerId}::uuid)::int
         + (SELECT count(*) FROM reposts r JOIN sources s ON r.user_id = s.id WHERE r.created_at > ${since} AND r.user_id <> ${viewerId}::uuid)::int AS n`;
  return Math.min(row?.n ?? 0, 99);
}

export type ProfileTab = "posts" | "replies" | "media";

/** A person's posts (with their reposts), replies, or posts with media. */
export async function listProfileTimeline(options: {
  actor: PersonActor;
  purpose: "core.timeline";
  authorId: string;
  tab: ProfileTab;
  cursor?: string | null;
  limit?: number;
}): Promise<TimelinePage> {
  const { authorId, tab } = options;
  const limit = options.limit ?? PAGE_SIZE;
  const position = decodeCursor(options.cursor) ?? firstPage();
  const tabFilter =
    tab === "posts"
      ? Prisma.sql`AND p.reply_to_author_id IS NULL`
      : tab === "replies"
        ? Prisma.sql`AND p.reply_to_author_id IS NOT NULL`
        : Prisma.sql`AND EXISTS (SELECT 1 FROM media m WHERE m.post_id = p.id)`;
  const reposts =
    tab === "posts"
      ? Prisma.sql`UNION ALL
        SELECT r.post_id, r.user_id, r.created_at FROM reposts r
        WHERE r.user_id = ${authorId}::uuid AND r.created_at <= ${position.at}`
      : Prisma.empty;
  const rows = await db().$queryRaw<EntryRow[]>`
    SELECT c.post_id, c.reposter_id, c.sort_at FROM (
      SELECT p.id AS post_id, NULL::uuid AS reposter_id, p.created_at AS sort_at FROM posts p
      WHERE p.author_id = ${authorId}::uuid AND (p.created_at, p.id) <= (${position.at}, ${position.postId}::uuid) ${tabFilter}
      ${reposts}
    ) c
    WHERE ${before(position, Prisma.sql`c.sort_at`, Prisma.sql`c.post_id`, Prisma.sql`coalesce(c.reposter_id, ${NIL_UUID}::uuid)`)}
    ORDER BY c.sort_at DESC, c.post_id DESC, coalesce(c.reposter_id, ${NIL_UUID}::uuid) DESC
    LIMIT ${limit + 1}`;
  return hydrate(options.actor, rows, limit);
}

/** Posts carrying a hashtag, newest first, without blocked or muted accounts. */
export async function listHashtagTimeline(options: {
  actor: PersonActor;
  purpose: "core.timeline";
  tag: string;
  cursor?: string | null;
  limit?: number;
}): Promise<TimelinePage> {
  const viewerId = options.actor.userId;
  const limit = options.limit ?? PAGE_SIZE;
  const position = decodeCursor(options.cursor) ?? firstPage();
  const rows = await db().$queryRaw<EntryRow[]>`
    SELECT p.id AS post_id, NULL::uuid AS reposter_id, p.created_at AS sort_at
    FROM post_hashtags h JOIN posts p ON p.id = h.post_id
    WHERE h.tag = ${options.tag} AND (h.created_at, h.post_id) < (${position.at}, ${position.postId}::uuid)
      AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${viewerId}::uuid AND m.muted_id = p.author_id)
      AND ${sqlAuthorVisibleTo(viewerId, Prisma.sql`p.author_id`)}
    ORDER BY h.created_at DESC, h.post_id DESC
    LIMIT ${limit + 1}`;
  return hydrate(options.actor, rows, limit);
}

/** The viewer's private bookmarks, most recently bookmarked first. */
export async function listBookmarks(options: { actor: PersonActor; purpose: "core.timeline"; cursor?: string | null; limit?: number }): Promise<TimelinePage> {
  const viewerId = options.actor.userId;
  const limit = options.limit ?? PAGE_SIZE;
  const position = decodeCursor(options.cursor) ?? firstPage();
  const rows = await db().$queryRaw<EntryRow[]>`
    SELECT b.post_id, NULL::uuid AS reposter_id, b.created_at AS sort_at FROM bookmarks b
    WHERE b.user_id = ${viewerId}::uuid AND (b.created_at, b.post_id) < (${position.at}, ${position.postId}::uuid)
    ORDER BY b.created_at DESC, b.post_id DESC
    LIMIT ${limit + 1}`;
  return hydrate(options.actor, rows, limit);
}

export interface ThreadView {
  /** From the thread's first post down to the parent of `post`; unavailable ones are left out. */
  ancestors: PostView[];
  post: PostView;
  replies: TimelinePage;
}

const MAX_ANCESTORS = 50;

/** A post with its ancestors and its direct replies, oldest reply first. Null when not visible. */
export async function getThread(options: {
  actor: PersonActor;
  purpose: "core.timeline";
  postId: string;
  cursor?: string | null;
  limit?: number;
}): Promise<ThreadView | null> {
  const { postId } = options;
  const viewerId = options.actor.userId;
  const limit = options.limit ?? PAGE_SIZE;
  const post = (await loadPostViews({ actor: options.actor, postIds: [postId] })).get(postId);
  if (!post) return null;

  const chain = await db().$queryRaw<{ id: string }[]>`
    WITH RECURSIVE up AS (
      SELECT reply_to_id AS id, 1 AS depth FROM posts WHERE id = ${postId}::uuid
      UNION ALL
      SELECT p.reply_to_id, up.depth + 1 FROM posts p JOIN up ON p.id = up.id WHERE up.depth < ${MAX_ANCESTORS}
    )
    SELECT id FROM up WHERE id IS NOT NULL ORDER BY depth DESC`;
  const ancestors = [...(await loadPostViews({ actor: options.actor, postIds: chain.map((c) => c.id) })).values()];

  const after = decodeCursor(options.cursor);
  const replies = await db().post.findMany({
    where: {
      replyToId: postId,
      AND: [
        postVisibleTo(viewerId),
        { author: { mutesReceived: { none: { muterId: viewerId } } } },
        after ? { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.postId } }] } : {},
      ],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: { id: true, createdAt: true },
  });
  const rows = replies.map((r) => ({ post_id: r.id, reposter_id: null, sort_at: r.createdAt }));
  return { ancestors, post, replies: await hydrate(options.actor, rows, limit) };
}
