// What logged-out visitors and crawlers may see: the public profile and posts of people who
// granted search_engine_indexing, and nothing of anyone else. Protected and deactivated
// accounts are never public, whatever they granted. Every page served is logged for its owner.
import "server-only";
import { visitor } from "../actor";
import { withConsent } from "../consent/consent-gate";
import { db, type Prisma } from "../db";
import { countPostActivity, mediaUrls, type MediaView } from "./post-views";
import { countProfileActivity, type ProfileView } from "./profiles";

export interface PublicPostView {
  id: string;
  text: string;
  contentWarning: string | null;
  createdAt: Date;
  editedAt: Date | null;
  media: MediaView[];
  counts: { replies: number; reposts: number; likes: number };
  author: { handle: string; displayName: string; avatarUrl: string | null };
}

/** What a profile shows anyone, without the viewer-specific parts, plus the latest posts. */
export interface PublicProfileView extends Pick<ProfileView, "handle" | "displayName" | "bio" | "avatarUrl" | "headerUrl" | "joinedAt" | "counts"> {
  posts: PublicPostView[];
}

const publicAuthor = { deactivatedAt: null, profile: { isProtected: false } } satisfies Prisma.UserWhereInput;

const publicPostSelect = {
  id: true,
  text: true,
  contentWarning: true,
  createdAt: true,
  editedAt: true,
  media: { orderBy: { position: "asc" }, select: { id: true, width: true, height: true, altText: true } },
  author: { select: { handle: true, displayName: true, profile: { select: { avatarMediaId: true } } } },
} satisfies Prisma.PostSelect;

async function toPublicPosts(rows: Prisma.PostGetPayload<{ select: typeof publicPostSelect }>[]): Promise<PublicPostView[]> {
  const counts = await countPostActivity(rows.map((r) => r.id));
  return rows.map((row) => {
    const { replies = 0, reposts = 0, likes = 0 } = counts.get(row.id) ?? {};
    return toPublicPost(row, { replies, reposts, likes });
  });
}

function toPublicPost(row: Prisma.PostGetPayload<{ select: typeof publicPostSelect }>, counts: PublicPostView["counts"]): PublicPostView {
  const avatar = row.author.profile?.avatarMediaId;
  return {
    id: row.id,
    text: row.text,
    contentWarning: row.contentWarning,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    media: row.media.map((m) => ({ ...m, ...mediaUrls(m.id) })),
    counts,
    author: { handle: row.author.handle, displayName: row.author.displayName, avatarUrl: avatar ? mediaUrls(avatar).previewUrl : null },
  };
}

/** A consenting person's public profile with their latest posts; null for anyone else. */
export async function getPublicProfile(options: { handle: string; purpose: "core.profiles" }): Promise<PublicProfileView | null> {
  const user = await db().user.findFirst({ where: { handle: options.handle.toLowerCase(), ...publicAuthor }, select: { id: true } });
  if (!user) return null;
  return withConsent({
    purpose: "search_engine_indexing",
    accessor: visitor,
    action: { code: "profile_shown_to_visitor" },
    subjectIds: [user.id],
    use: async (consenting) => {
      if (!consenting.has(user.id)) return { result: null, usedSubjectIds: [] };
      const row = await db().user.findUniqueOrThrow({
        where: { id: user.id },
        select: {
          handle: true,
          displayName: true,
          createdAt: true,
          profile: { select: { bio: true, avatarMediaId: true, headerMediaId: true } },
          posts: { where: { replyToId: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20, select: publicPostSelect },
        },
      });
      return {
        result: {
          handle: row.handle,
          displayName: row.displayName,
          bio: row.profile?.bio ?? "",
          avatarUrl: row.profile?.avatarMediaId ? mediaUrls(row.profile.avatarMediaId).previewUrl : null,
          headerUrl: row.profile?.headerMediaId ? mediaUrls(row.profile.headerMediaId).url : null,
          joinedAt: row.createdAt,
          counts: await countProfileActivity(user.id),
          posts: await toPublicPosts(row.posts),
        },
        usedSubjectIds: [user.id],
      };
    },
  });
}

/** One post of a consenting person; null for anyone else's. */
export async function getPublicPost(options: { postId: string; purpose: "core.posts" }): Promise<PublicPostView | null> {
  const post = await db().post.findFirst({ where: { id: options.postId, author: publicAuthor }, select: { authorId: true } });
  if (!post) return null;
  return withConsent({
    purpose: "search_engine_indexing",
    accessor: visitor,
    action: { code: "post_shown_to_visitor" },
    subjectIds: [post.authorId],
    use: async (consenting) => {
      if (!consenting.has(post.authorId)) return { result: null, usedSubjectIds: [] };
      const row = await db().post.findUniqueOrThrow({ where: { id: options.postId }, select: publicPostSelect });
      const [view] = await toPublicPosts([row]);
      return { result: view ?? null, usedSubjectIds: [post.authorId] };
    },
  });
}

/**
 * The file of an image a logged-out visitor may fetch: one of a consenting person's public post
 * images, avatar or header. Null for every other image. Not logged: the page view that shows the
 * image is.
 */
export async function findPublicMedia(options: { mediaId: string; purpose: "core.media" }): Promise<{ storageKey: string; mimeType: string } | null> {
  const media = await db().media.findFirst({
    where: {
      id: options.mediaId,
      owner: publicAuthor,
      OR: [{ post: { isNot: null } }, { avatarOf: { isNot: null } }, { headerOf: { isNot: null } }],
    },
    select: { ownerId: true, storageKey: true, mimeType: true },
  });
  if (!media) return null;
  return withConsent({
    purpose: "search_engine_indexing",
    accessor: visitor,
    action: { code: "image_shown_to_visitor" },
    subjectIds: [media.ownerId],
    use: async (consenting) => ({
      result: consenting.has(media.ownerId) ? { storageKey: media.storageKey, mimeType: media.mimeType } : null,
      usedSubjectIds: [],
    }),
  });
}

/** The handles of every consenting public account, for sitemap.xml. */
export async function listIndexableHandles(_options: { purpose: "core.profiles" }): Promise<{ handle: string; updatedAt: Date }[]> {
  const candidates = await db().user.findMany({ where: publicAuthor, select: { id: true, handle: true, createdAt: true }, take: 50_000 });
  return withConsent({
    purpose: "search_engine_indexing",
    accessor: visitor,
    action: { code: "listed_in_sitemap" },
    subjectIds: candidates.map((c) => c.id),
    use: async (consenting) => {
      const listed = candidates.filter((c) => consenting.has(c.id));
      return { result: listed.map((c) => ({ handle: c.handle, updatedAt: c.createdAt })), usedSubjectIds: listed.map((c) => c.id) };
    },
  });
}
