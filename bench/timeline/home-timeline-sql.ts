// The raw-SQL floor: exactly the statements of a home-timeline page, the feed read of
// listHomeTimeline (readHomeFeed in server/data/social/home-feed.ts; its fan-in merge,
// mergeHomeSources, for pages past a feed's horizon, and as the reference the first pages are
// checked against) and the page's post views (loadPostViews in post-views.ts), with sqlAuthorVisibleTo of visibility.ts inlined and Prisma's template slots as
// $n parameters, run through `pg`. Keep it in step with those files: the benchmark checks that
// both return the same first pages.
import type pg from "pg";

export const PAGE_SIZE = 20;
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export interface Position {
  at: Date;
  postId: string;
  reposterId: string;
}

export const FIRST_PAGE: Position = {
  at: new Date(8.64e15),
  postId: "ffffffff-ffff-ffff-ffff-ffffffffffff",
  reposterId: "ffffffff-ffff-ffff-ffff-ffffffffffff",
};

export interface CandidateRow {
  post_id: string;
  reposter_id: string | null;
  sort_at: Date;
}

// $1 viewer, $2 position time, $3 position post, $4 position reposter, $5 limit + 1, $6 nil uuid.
export const HOME_TIMELINE_CANDIDATES_SQL = `
    WITH sources AS (
      SELECT f.followee_id AS id FROM follows f JOIN users u ON u.id = f.followee_id
      WHERE f.follower_id = $1::uuid AND u.deactivated_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = $1::uuid AND m.muted_id = f.followee_id)
      UNION ALL SELECT $1::uuid
    ),
    ordered AS MATERIALIZED (
      SELECT c.post_id, c.reposter_id, c.sort_at FROM (
        SELECT p.id AS post_id, NULL::uuid AS reposter_id, p.created_at AS sort_at
        FROM sources s CROSS JOIN LATERAL (
          SELECT id, created_at FROM posts
          WHERE author_id = s.id AND (created_at, id) <= ($2::timestamptz, $3::uuid)
          ORDER BY created_at DESC, id DESC LIMIT $5 + 1
        ) p
        UNION ALL
        SELECT r.post_id, s.id, r.created_at
        FROM sources s CROSS JOIN LATERAL (
          SELECT post_id, created_at FROM reposts
          WHERE user_id = s.id AND created_at <= $2::timestamptz
          ORDER BY created_at DESC LIMIT $5 + 1
        ) r
      ) c
      WHERE (c.sort_at, c.post_id, coalesce(c.reposter_id, $6::uuid)) < ($2::timestamptz, $3::uuid, $4::uuid)
      ORDER BY c.sort_at DESC, c.post_id DESC, coalesce(c.reposter_id, $6::uuid) DESC
    )
    SELECT o.post_id, o.reposter_id, o.sort_at FROM ordered o
    WHERE o.reposter_id IS NULL OR EXISTS (
      SELECT 1 FROM posts p WHERE p.id = o.post_id
        AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = $1::uuid AND m.muted_id = p.author_id)
        AND (
    NOT EXISTS (SELECT 1 FROM users du WHERE du.id = p.author_id AND du.deactivated_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = p.author_id AND b.blocked_id = $1::uuid)
                                          OR (b.blocker_id = $1::uuid AND b.blocked_id = p.author_id))
    AND (p.author_id = $1::uuid
         OR NOT (SELECT pr.is_protected FROM profiles pr WHERE pr.user_id = p.author_id)
         OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1::uuid AND f.followee_id = p.author_id))))
    LIMIT $5`;

export function candidateParams(viewerId: string, position: Position): unknown[] {
  return [viewerId, position.at, position.postId, position.reposterId, PAGE_SIZE + 1, NIL_UUID];
}

/** The position after a page, as listHomeTimeline's cursor encodes it; null on the last page. */
export function nextPosition(rows: readonly CandidateRow[]): Position | null {
  if (rows.length <= PAGE_SIZE) return null;
  const last = rows[PAGE_SIZE - 1]!;
  return { at: last.sort_at, postId: last.post_id, reposterId: last.reposter_id ?? NIL_UUID };
}

export async function queryCandidates(client: pg.ClientBase | pg.Pool, viewerId: string, position: Position): Promise<CandidateRow[]> {
  return (await client.query<CandidateRow>(HOME_TIMELINE_CANDIDATES_SQL, candidateParams(viewerId, position))).rows;
}

const visibleTo = (author: string) => `(
    NOT EXISTS (SELECT 1 FROM users du WHERE du.id = ${author} AND du.deactivated_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${author} AND b.blocked_id = $1::uuid)
                                          OR (b.blocker_id = $1::uuid AND b.blocked_id = ${author}))
    AND (${author} = $1::uuid
         OR NOT (SELECT pr.is_protected FROM profiles pr WHERE pr.user_id = ${author})
         OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1::uuid AND f.followee_id = ${author})))`;
const authorJson = (user: string, profile: string) =>
  `json_build_object('id', ${user}.id, 'handle', ${user}.handle, 'displayName', ${user}.display_name,
    'avatarMediaId', ${profile}.avatar_media_id, 'isProtected', coalesce(${profile}.is_protected, false))`;
const mediaJson = (postId: string) =>
  `(SELECT coalesce(json_agg(json_build_object('id', m.id, 'width', m.width, 'height', m.height, 'altText', m.alt_text) ORDER BY m.position), '[]')
    FROM media m WHERE m.post_id = ${postId})`;

// $1 viewer, $2 the post ids in page order.
export const POST_VIEWS_SQL = `
    SELECT p.id, ${authorJson("a", "ap")} AS author, p.text, p.content_warning, p.created_at, p.edited_at, p.root_id,
      ${mediaJson("p.id")} AS media,
      p.reply_to_id, (SELECT ru.handle FROM posts rp JOIN users ru ON ru.id = rp.author_id WHERE rp.id = p.reply_to_id) AS reply_to_handle,
      p.quote_of_id,
      (SELECT json_build_object('id', q.id, 'author', ${authorJson("qa", "qp")}, 'text', q.text, 'contentWarning', q.content_warning,
              'createdAt', q.created_at, 'media', ${mediaJson("q.id")})
         FROM posts q JOIN users qa ON qa.id = q.author_id LEFT JOIN profiles qp ON qp.user_id = qa.id
         WHERE q.id = p.quote_of_id AND ${visibleTo("q.author_id")}) AS quote,
      (SELECT count(*) FROM posts r WHERE r.reply_to_id = p.id)::int AS replies,
      (SELECT count(*) FROM reposts rp WHERE rp.post_id = p.id)::int AS reposts,
      (SELECT count(*) FROM likes l WHERE l.post_id = p.id)::int AS likes,
      (SELECT count(*) FROM posts q WHERE q.quote_of_id = p.id)::int AS quotes,
      EXISTS (SELECT 1 FROM likes l WHERE l.user_id = $1::uuid AND l.post_id = p.id) AS liked,
      EXISTS (SELECT 1 FROM reposts rp WHERE rp.user_id = $1::uuid AND rp.post_id = p.id) AS reposted,
      EXISTS (SELECT 1 FROM bookmarks b WHERE b.user_id = $1::uuid AND b.post_id = p.id) AS bookmarked
    FROM unnest($2::uuid[]) WITH ORDINALITY AS wanted(id, ord)
    JOIN posts p ON p.id = wanted.id
    JOIN users a ON a.id = p.author_id LEFT JOIN profiles ap ON ap.user_id = a.id
    WHERE ${visibleTo("p.author_id")}
    ORDER BY wanted.ord`;

// $1 the reposters' ids.
const REPOSTERS_SQL = `SELECT ${authorJson("u", "pr")} AS author FROM users u LEFT JOIN profiles pr ON pr.user_id = u.id WHERE u.id = ANY($1::uuid[])`;

// $1 viewer, $2 position time, $3 position post, $4 position reposter, $5 limit + 1, $6 nil uuid.
export const HOME_FEED_SQL = `
    SELECT e.post_id, nullif(e.reposter_id, $6::uuid) AS reposter_id, e.sort_at
    FROM home_feed_entries e
    WHERE e.owner_id = $1::uuid AND e.sort_at >= (SELECT h.complete_since FROM home_feeds h WHERE h.owner_id = $1::uuid)
      AND (e.sort_at, e.post_id, e.reposter_id) < ($2::timestamptz, $3::uuid, $4::uuid)
      AND (e.source_id = $1::uuid OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1::uuid AND f.followee_id = e.source_id))
      AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = $1::uuid AND m.muted_id = e.source_id)
      AND NOT EXISTS (SELECT 1 FROM users su WHERE su.id = e.source_id AND su.deactivated_at IS NOT NULL)
      AND (e.reposter_id = $6::uuid OR EXISTS (
        SELECT 1 FROM posts p WHERE p.id = e.post_id
          AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = $1::uuid AND m.muted_id = p.author_id)
          AND ${visibleTo("p.author_id")}))
    ORDER BY e.sort_at DESC, e.post_id DESC, e.reposter_id DESC
    LIMIT $5`;

/** The same work as a page of the app's home timeline: its entries (from the feed), then their views. */
export async function floorPage(client: pg.ClientBase, viewerId: string, position: Position, read: "feed" | "fan-in"): Promise<CandidateRow[]> {
  // Named statements, as the app's (server/data/prepared-statements.ts): parsed and planned once per connection.
  const fromFeed =
    read === "feed"
      ? (await client.query<CandidateRow>({ name: "floor_home_feed", text: HOME_FEED_SQL, values: candidateParams(viewerId, position) })).rows
      : [];
  const rows = fromFeed.length > PAGE_SIZE ? fromFeed : await queryCandidates(client, viewerId, position);
  const page = rows.slice(0, PAGE_SIZE);
  const postIds = [...new Set(page.map((r) => r.post_id))];
  const reposterIds = [...new Set(page.flatMap((r) => (r.reposter_id ? [r.reposter_id] : [])))];
  await Promise.all([
    postIds.length ? client.query({ name: "floor_post_views", text: POST_VIEWS_SQL, values: [viewerId, postIds] }) : null,
    reposterIds.length ? client.query({ name: "floor_reposters", text: REPOSTERS_SQL, values: [reposterIds] }) : null,
  ]);
  return rows;
}
