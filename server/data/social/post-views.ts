// Posts as a viewer sees them: author, media, counts, the viewer's own likes/reposts/bookmarks,
// the quoted post (when the viewer may see it) and the edit window. Every list of posts the
// social API returns goes through loadPostViews, so visibility is applied in one place.
import "server-only";
import type { PersonActor } from "../actor";
import { db, Prisma } from "../db";
import { postVisibleTo } from "./visibility";

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

const mediaSelect = { id: true, width: true, height: true, altText: true } satisfies Prisma.MediaSelect;

function toMediaView(media: Prisma.MediaGetPayload<{ select: typeof mediaSelect }>): MediaView {
  return { ...media, ...mediaUrls(media.id) };
}

const quotedSelect = {
  id: true,
  text: true,
  contentWarning: true,
  createdAt: true,
  author: { select: authorSelect },
  media: { select: mediaSelect, orderBy: { position: "asc" } },
} satisfies Prisma.PostSelect;

function postSelect(viewerId: string) {
  return {
    ...quotedSelect,
    authorId: true,
    editedAt: true,
    rootId: true,
    quoteOfId: true,
    replyTo: { select: { id: true, author: { select: { handle: true } } } },
    likes: { where: { userId: viewerId }, select: { userId: true } },
    reposts: { where: { userId: viewerId }, select: { userId: true } },
    bookmarks: { where: { userId: viewerId }, select: { userId: true } },
  } satisfies Prisma.PostSelect;
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

/**
 * The posts with these ids that `actor` may see, in the order given. Ids the viewer may not
 * see (blocked, protected, deleted) are left out.
 */
export async function loadPostViews(options: { actor: PersonActor; postIds: readonly string[]; now?: Date }): Promise<Map<string, PostView>> {
  const viewerId = options.actor.userId;
  const ids = [...new Set(options.postIds)];
  if (ids.length === 0) return new Map();
  const now = options.now ?? new Date();
  const [rows, counts] = await Promise.all([
    db().post.findMany({ where: { id: { in: ids }, ...postVisibleTo(viewerId) }, select: postSelect(viewerId) }),
    countPostActivity(ids),
  ]);
  const quoteIds = rows.flatMap((r) => (r.quoteOfId ? [r.quoteOfId] : []));
  const quotes = quoteIds.length ? await db().post.findMany({ where: { id: { in: quoteIds }, ...postVisibleTo(viewerId) }, select: quotedSelect }) : [];
  const quoteById = new Map(quotes.map((q) => [q.id, q]));

  const views = new Map<string, PostView>();
  for (const row of rows) {
    const quoted = row.quoteOfId ? quoteById.get(row.quoteOfId) : undefined;
    const isAuthor = row.authorId === viewerId;
    views.set(row.id, {
      id: row.id,
      author: toAuthorView(row.author),
      text: row.text,
      contentWarning: row.contentWarning,
      createdAt: row.createdAt,
      editedAt: row.editedAt,
      media: row.media.map(toMediaView),
      rootId: row.rootId,
      replyTo: row.replyTo ? { id: row.replyTo.id, authorHandle: row.replyTo.author.handle } : null,
      quote: row.quoteOfId === null ? null : quoted ? { ...quoted, author: toAuthorView(quoted.author), media: quoted.media.map(toMediaView) } : "unavailable",
      counts: counts.get(row.id) ?? { replies: 0, reposts: 0, likes: 0, quotes: 0 },
      viewer: {
        liked: row.likes.length > 0,
        reposted: row.reposts.length > 0,
        bookmarked: row.bookmarks.length > 0,
        isAuthor,
        canEdit: isAuthor && now.getTime() - row.createdAt.getTime() < EDIT_WINDOW_MS,
      },
    });
  }
  const ordered = new Map<string, PostView>();
  for (const id of ids) {
    const view = views.get(id);
    if (view) ordered.set(id, view);
  }
  return ordered;
}
