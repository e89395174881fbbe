// Posts as a viewer sees them: author, media, counts, the viewer's own likes/reposts/bookmarks,
// the quoted post (when the viewer may see it) and the edit window. Every list of posts the
// social API returns goes through loadPostViews, so visibility is applied in one place.
import "server-only";
import type { PersonActor } from "../actor";
import { db, Prisma, PREPARED } from "../db";
import { sqlAuthorVisibleTo } from "./visibility";

export const EDIT_WINDOW_MS = 60 * 60 * 1000;

export interface AuthorView {
  id: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  isProtected: boolean;
}

export interface MediaView {
  id: string;
  url: string;
  previewUrl: string;
  width: number;
  height: number;
  altText: string;
}

export interface QuotedPostView {
  id: string;
  author: AuthorView;
  text: string;
  contentWarning: string | null;
  createdAt: Date;
  media: MediaView[];
}

export interface PostView extends QuotedPostView {
  editedAt: Date | null;
  replyTo: { id: string; authorHandle: string } | null;
  rootId: string;
  /** The quoted post; `unavailable` when it was deleted or the viewer may not see it. */
  quote: QuotedPostView | "unavailable" | null;
  counts: { replies: number; reposts: number; likes: number; quotes: number };
  viewer: { liked: boolean; reposted: boolean; bookmarked: boolean; isAuthor: boolean; canEdit: boolean };
}

export function mediaUrls(mediaId: string): { url: string; previewUrl: string } {
  return { url: `/api/media/${mediaId}`, previewUrl: `/api/media/${mediaId}/preview` };
}

export const authorSelect = {
  id: true,
  handle: true,
  displayName: true,
  profile: { select: { avatarMediaId: true, isProtected: true } },
} satisfies Prisma.UserSelect;

export function toAuthorView(user: Prisma.UserGetPayload<{ select: typeof authorSelect }>): AuthorView {
  const avatarId = user.profile?.avatarMediaId;
  return {
    id: user.id,
    handle: user.handle,
    displayName: user.displayName,
    avatarUrl: avatarId ? mediaUrls(avatarId).previewUrl : null,
    isProtected: user.profile?.isProtected ?? false,
  };
}

/**
 * Reply, repost, like and quote counts of these posts only. Prisma's `_count` would aggregate the
 * whole posts, likes and reposts tables and join the result (hundreds of ms at a million posts);
 * correlated counts use the post_id indexes and read only these posts' rows.
 */
export async function countPostActivity(ids: readonly string[]): Promise<Map<string, PostView["counts"]>> {
  if (ids.length === 0) return new Map();
  const rows = await db().$queryRaw<({ id: string } & PostView["counts"])[]>`
    SELECT p.id,
      (SELECT count(*) FROM posts r WHERE r.reply_to_id = p.id)::int AS replies,
      (SELECT count(*) FROM reposts rp WHERE rp.post_id = p.id)::int AS reposts,
      (SELECT count(*) FROM likes l WHERE l.post_id = p.id)::int AS likes,
      (SELECT count(*) FROM posts q WHERE q.quote_of_id = p.id)::int AS quotes
    FROM posts p WHERE p.id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
  return new Map(rows.map(({ id, ...counts }) => [id, counts]));
}

interface MediaJson {
  id: string;
  width: number;
  height: number;
  altText: string;
}

interface AuthorJson {
  id: string;
  handle: string;
  displayName: string;
  avatarMediaId: string | null;
  isProtected: boolean;
}

/** A post view's row as the statement returns it: scalars as columns, nested parts as JSON. */
interface PostViewRow {
  id: string;
  author: AuthorJson;
  text: string;
  content_warning: string | null;
  created_at: Date;
  edited_at: Date | null;
  root_id: string;
  media: MediaJson[];
  reply_to_id: string | null;
  reply_to_handle: string | null;
  quote_of_id: string | null;
  quote: { id: string; author: AuthorJson; text: string; contentWarning: string | null; createdAt: string; media: MediaJson[] } | null;
  replies: number;
  reposts: number;
  likes: number;
  quotes: number;
  liked: boolean;
  reposted: boolean;
  bookmarked: boolean;
}

function authorJson(user: Prisma.Sql, profile: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`json_build_object('id', ${user}.id, 'handle', ${user}.handle, 'displayName', ${user}.display_name,
    'avatarMediaId', ${profile}.avatar_media_id, 'isProtected', coalesce(${profile}.is_protected, false))`;
}

function mediaJson(postId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT coalesce(json_agg(json_build_object('id', m.id, 'width', m.width, 'height', m.height, 'altText', m.alt_text) ORDER BY m.position), '[]')
    FROM media m WHERE m.post_id = ${postId})`;
}

function fromAuthorJson(author: AuthorJson): AuthorView {
  return {
    id: author.id,
    handle: author.handle,
    displayName: author.displayName,
    avatarUrl: author.avatarMediaId ? mediaUrls(author.avatarMediaId).previewUrl : null,
    isProtected: author.isProtected,
  };
}

/**
 * The views of these accounts (a page's reposters), as a post's author is shown, whoever they are:
 * the entries that name them were already filtered. One named statement instead of Prisma's
 * relation load (users, then profiles) on nearly every timeline page.
 */
export async function loadAuthorViews(userIds: readonly string[]): Promise<Map<string, AuthorView>> {
  if (userIds.length === 0) return new Map();
  const rows = await db().$queryRaw<{ author: AuthorJson }[]>`${PREPARED}
    SELECT ${authorJson(Prisma.sql`a`, Prisma.sql`ap`)} AS author
    FROM users a LEFT JOIN profiles ap ON ap.user_id = a.id
    WHERE a.id = ANY(${[...new Set(userIds)]}::uuid[])`;
  return new Map(rows.map(({ author }) => [author.id, fromAuthorJson(author)]));
}

function fromMediaJson(media: MediaJson): MediaView {
  return { ...media, ...mediaUrls(media.id) };
}

/**
 * The posts with these ids that `actor` may see, in the order given. Ids the viewer may not
 * see (blocked, protected, deleted) are left out. One statement builds every view (author, media,
 * reply target, counts, the viewer's flags, the quoted post if visible): a page costs one round
 * trip and no ORM work, instead of about ten relation loads.
 */
export async function loadPostViews(options: { actor: PersonActor; postIds: readonly string[]; now?: Date }): Promise<Map<string, PostView>> {
  const viewerId = options.actor.userId;
  const ids = [...new Set(options.postIds)];
  if (ids.length === 0) return new Map();
  const now = options.now ?? new Date();
  const rows = await db().$queryRaw<PostViewRow[]>`${PREPARED}
    SELECT p.id, ${authorJson(Prisma.sql`a`, Prisma.sql`ap`)} AS author, p.text, p.content_warning, p.created_at, p.edited_at, p.root_id,
      ${mediaJson(Prisma.sql`p.id`)} AS media,
      p.reply_to_id, (SELECT ru.handle FROM posts rp JOIN users ru ON ru.id = rp.author_id WHERE rp.id = p.reply_to_id) AS reply_to_handle,
      p.quote_of_id,
      (SELECT json_build_object('id', q.id, 'author', ${authorJson(Prisma.sql`qa`, Prisma.sql`qp`)}, 'text', q.text, 'contentWarning', q.content_warning,
              'createdAt', q.created_at, 'media', ${mediaJson(Prisma.sql`q.id`)})
         FROM posts q JOIN users qa ON qa.id = q.author_id LEFT JOIN profiles qp ON qp.user_id = qa.id
         WHERE q.id = p.quote_of_id AND ${sqlAuthorVisibleTo(viewerId, Prisma.sql`q.author_id`)}) AS quote,
      (SELECT count(*) FROM posts r WHERE r.reply_to_id = p.id)::int AS replies,
      (SELECT count(*) FROM reposts rp WHERE rp.post_id = p.id)::int AS reposts,
      (SELECT count(*) FROM likes l WHERE l.post_id = p.id)::int AS likes,
      (SELECT count(*) FROM posts q WHERE q.quote_of_id = p.id)::int AS quotes,
      EXISTS (SELECT 1 FROM likes l WHERE l.user_id = ${viewerId}::uuid AND l.post_id = p.id) AS liked,
      EXISTS (SELECT 1 FROM reposts rp WHERE rp.user_id = ${viewerId}::uuid AND rp.post_id = p.id) AS reposted,
      EXISTS (SELECT 1 FROM bookmarks b WHERE b.user_id = ${viewerId}::uuid AND b.post_id = p.id) AS bookmarked
    FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS wanted(id, ord)
    JOIN posts p ON p.id = wanted.id
    JOIN users a ON a.id = p.author_id LEFT JOIN profiles ap ON ap.user_id = a.id
    WHERE ${sqlAuthorVisibleTo(viewerId, Prisma.sql`p.author_id`)}
    ORDER BY wanted.ord`;

  const views = new Map<string, PostView>();
  for (const row of rows) {
    const isAuthor = row.author.id === viewerId;
    const quoted = row.quote;
    views.set(row.id, {
      id: row.id,
      author: fromAuthorJson(row.author),
      text: row.text,
      contentWarning: row.content_warning,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      media: row.media.map(fromMediaJson),
      rootId: row.root_id,
      replyTo: row.reply_to_id && row.reply_to_handle !== null ? { id: row.reply_to_id, authorHandle: row.reply_to_handle } : null,
      quote:
        row.quote_of_id === null
          ? null
          : quoted
            ? {
                id: quoted.id,
                author: fromAuthorJson(quoted.author),
                text: quoted.text,
                contentWarning: quoted.contentWarning,
                createdAt: new Date(quoted.createdAt),
                media: quoted.media.map(fromMediaJson),
              }
            : "unavailable",
      counts: { replies: row.replies, reposts: row.reposts, likes: row.likes, quotes: row.quotes },
      viewer: {
        liked: row.liked,
        reposted: row.reposted,
        bookmarked: row.bookmarked,
        isAuthor,
        canEdit: isAuthor && now.getTime() - row.created_at.getTime() < EDIT_WINDOW_MS,
      },
    });
  }
  return views;
}
