// The raw-SQL floor: exactly the candidate query of listHomeTimeline (server/data/social/
// timelines.ts, with homeSources and sqlAuthorVisibleTo of visibility.ts inlined and Prisma's
// template slots as $n parameters), run through `pg`. Keep it in step with timelines.ts: the
// benchmark checks that both return the same first page.
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
          ORDER BY created_at DESC, id DESC LIMIT $5
        ) p
        UNION ALL
        SELECT r.post_id, s.id, r.created_at
        FROM sources s CROSS JOIN LATERAL (
          SELECT post_id, created_at FROM reposts
          WHERE user_id = s.id AND created_at <= $2::timestamptz
          ORDER BY created_at DESC LIMIT $5
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
