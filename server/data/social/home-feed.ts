// The two ways to read a home timeline's entries (ids and positions, before their views): the
// viewer's fanned-out feed, one index range scan (PostgreSQL triggers keep it, see the migration
// 20261216120000_home_feed), and the fan-in merge over every followed account, which serves the
// pages past the point from which a feed is complete. Both apply the same rules and return the
// same rows, newest first, `limit + 1` of them when there is a next page.
import "server-only";
import { db, Prisma, PREPARED } from "../db";
import { NIL_UUID, type Position } from "./cursor";
import { sqlAuthorVisibleTo } from "./visibility";

export interface EntryRow {
  post_id: string;
  reposter_id: string | null;
  sort_at: Date;
}

/** The accounts whose posts fill a home timeline: the followed (not muted, not deactivated) and oneself. */
export function homeSources(viewerId: string): Prisma.Sql {
  return Prisma.sql`sources AS (
      SELECT f.followee_id AS id FROM follows f JOIN users u ON u.id = f.followee_id
      WHERE f.follower_id = ${viewerId}::uuid AND u.deactivated_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${viewerId}::uuid AND m.muted_id = f.followee_id)
      UNION ALL SELECT ${viewerId}::uuid
    )`;
}

export function before(position: Position, at: Prisma.Sql, postId: Prisma.Sql, reposterId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${at}, ${postId}, ${reposterId}) < (${position.at}, ${position.postId}::uuid, ${position.reposterId}::uuid)`;
}

/**
 * A page of the viewer's home feed (the migration 20261216120000_home_feed keeps it), from the
 * point it is complete. The feed may hold more than the timeline shows: an entry counts only while
 * its source is followed (or is the viewer), not muted and not deactivated, and a repost only
 * while its post's author is visible to the viewer and not muted, the same rules as the fan-in read.
 */
export async function readHomeFeed({ viewerId, position, limit }: { viewerId: string; position: Position; limit: number }): Promise<EntryRow[]> {
  return db().$queryRaw<EntryRow[]>`${PREPARED}
    SELECT e.post_id, nullif(e.reposter_id, ${NIL_UUID}::uuid) AS reposter_id, e.sort_at
    FROM home_feed_entries e
    WHERE e.owner_id = ${viewerId}::uuid
      -- A scalar subquery, not a join: the planner then walks the index in page order and stops at the LIMIT.
      AND e.sort_at >= (SELECT h.complete_since FROM home_feeds h WHERE h.owner_id = ${viewerId}::uuid)
      AND ${before(position, Prisma.sql`e.sort_at`, Prisma.sql`e.post_id`, Prisma.sql`e.reposter_id`)}
      AND (e.source_id = ${viewerId}::uuid OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${viewerId}::uuid AND f.followee_id = e.source_id))
      AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${viewerId}::uuid AND m.muted_id = e.source_id)
      AND NOT EXISTS (SELECT 1 FROM users su WHERE su.id = e.source_id AND su.deactivated_at IS NOT NULL)
      AND (e.reposter_id = ${NIL_UUID}::uuid OR EXISTS (
        SELECT 1 FROM posts p WHERE p.id = e.post_id
          AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${viewerId}::uuid AND m.muted_id = p.author_id)
          AND ${sqlAuthorVisibleTo(viewerId, Prisma.sql`p.author_id`)}))
    ORDER BY e.sort_at DESC, e.post_id DESC, e.reposter_id DESC
    LIMIT ${limit + 1}`;
}

/**
 * The home timeline read fan-in: for each source account only its newest `limit` entries before
 * the cursor are read (index-only range scans), then merged.
 */
export async function mergeHomeSources({ viewerId, position, limit }: { viewerId: string; position: Position; limit: number }): Promise<EntryRow[]> {
  // A followee's own posts need no check (following implies seeing), so candidates are read from
  // indexes alone. Only reposts need the reposted post's author checked, and only for the rows the
  // LIMIT pulls: the MATERIALIZED fence keeps that check above the sort instead of running it (and
  // a join of posts) for every candidate of every source. Each source reads one row more than a
  // page: its range includes the cursor's own entry (`<=`, for a post and its reposts at the same
  // instant), which the strict comparison then drops; with `limit + 1` a source that alone fills
  // the rest of a timeline ended it a page early.
  return db().$queryRaw<EntryRow[]>`
    WITH ${homeSources(viewerId)},
    ordered AS MATERIALIZED (
      SELECT c.post_id, c.reposter_id, c.sort_at FROM (
        SELECT p.id AS post_id, NULL::uuid AS reposter_id, p.created_at AS sort_at
        FROM sources s CROSS JOIN LATERAL (
          SELECT id, created_at FROM posts
          WHERE author_id = s.id AND (created_at, id) <= (${position.at}, ${position.postId}::uuid)
          ORDER BY created_at DESC, id DESC LIMIT ${limit + 2}
        ) p
        UNION ALL
        SELECT r.post_id, s.id, r.created_at
        FROM sources s CROSS JOIN LATERAL (
          SELECT post_id, created_at FROM reposts
          WHERE user_id = s.id AND created_at <= ${position.at}
          ORDER BY created_at DESC LIMIT ${limit + 2}
        ) r
      ) c
      WHERE ${before(position, Prisma.sql`c.sort_at`, Prisma.sql`c.post_id`, Prisma.sql`coalesce(c.reposter_id, ${NIL_UUID}::uuid)`)}
      ORDER BY c.sort_at DESC, c.post_id DESC, coalesce(c.reposter_id, ${NIL_UUID}::uuid) DESC
    )
    SELECT o.post_id, o.reposter_id, o.sort_at FROM ordered o
    WHERE o.reposter_id IS NULL OR EXISTS (
      SELECT 1 FROM posts p WHERE p.id = o.post_id
        AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${viewerId}::uuid AND m.muted_id = p.author_id)
        AND ${sqlAuthorVisibleTo(viewerId, Prisma.sql`p.author_id`)})
    LIMIT ${limit + 1}`;
}
