// Search with PostgreSQL alone: posts by full text (the language-neutral 'simple' configuration,
// ranked), people by trigram similarity of handle and display name. Blocked and muted accounts
// never appear.
import "server-only";
import type { PersonActor } from "../actor";
import { db, Prisma } from "../db";
import { AppError } from "../../errors";
import { UUID_PATTERN } from "../postgres-values";
import { authorSelect, loadPostViews, toAuthorView, type AuthorView, type PostView } from "./post-views";
import { withConsent } from "../consent/consent-gate";
import { notBlockedWith, sqlAuthorVisibleTo } from "./visibility";

const PAGE = 20;

function notMutedOrBlocked(viewerId: string, person: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${viewerId}::uuid AND m.muted_id = ${person})
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${viewerId}::uuid AND b.blocked_id = ${person})
                                              OR (b.blocker_id = ${person} AND b.blocked_id = ${viewerId}::uuid))`;
}

interface RankedCursor {
  rank: number;
  id: string;
}

function encode(cursor: RankedCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decode(cursor: string | null | undefined): RankedCursor | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as RankedCursor;
    if (typeof value.rank !== "number" || !UUID_PATTERN.test(String(value.id))) throw new Error("shape");
    return value;
  } catch {
    throw new AppError("CURSOR_INVALID", "That page link is not valid; search again.");
  }
}

/**
 * websearch_to_tsquery makes each `-` in a row one more NOT around the next word, and PostgreSQL
 * refuses a tsquery nested more than 32 deep (a 500 for "- - - …"). !!x is x, so a run of three or
 * more keeps only its parity; what people type (-word, --word) is left as it is.
 */
function boundNegations(query: string): string {
  return query.replace(/-(?:\s*-){2,}/g, (run) => (run.split("-").length % 2 === 0 ? "-" : "--"));
}

/** Posts matching the words of `query` (websearch syntax: "quoted phrases", -excluded, or). */
export async function searchPosts(options: {
  actor: PersonActor;
  purpose: "core.search";
  query: string;
  cursor?: string | null;
}): Promise<{ posts: PostView[]; nextCursor: string | null }> {
  const { query } = options;
  const viewerId = options.actor.userId;
  const after = decode(options.cursor);
  const rows = await db().$queryRaw<{ id: string; rank: number }[]>`
    WITH q AS (SELECT websearch_to_tsquery('simple', ${boundNegations(query)}) AS query)
    SELECT p.id, ts_rank(to_tsvector('simple', p.text), q.query)::float8 AS rank
    FROM posts p, q
    WHERE to_tsvector('simple', p.text) @@ q.query
      AND ${notMutedOrBlocked(viewerId, Prisma.sql`p.author_id`)}
      AND ${sqlAuthorVisibleTo(viewerId, Prisma.sql`p.author_id`)}
      ${after ? Prisma.sql`AND (ts_rank(to_tsvector('simple', p.text), q.query)::float8, p.id) < (${after.rank}, ${after.id}::uuid)` : Prisma.empty}
    ORDER BY rank DESC, p.id DESC
    LIMIT ${PAGE + 1}`;
  const page = rows.slice(0, PAGE);
  const views = await loadPostViews({ actor: options.actor, postIds: page.map((r) => r.id) });
  const last = page.at(-1);
  return { posts: [...views.values()], nextCursor: rows.length > PAGE && last ? encode({ rank: last.rank, id: last.id }) : null };
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The person with exactly this email address, if they granted discoverable_by_email (and are not
 * blocked with the viewer); nothing otherwise. The answer is the same for an unknown address and
 * for a person who did not consent.
 */
async function discoverByEmail(viewerId: string, email: string): Promise<AuthorView[]> {
  const owner = await db().user.findFirst({
    where: { email: email.toLowerCase(), id: { not: viewerId }, ...notBlockedWith(viewerId) },
    select: { id: true },
  });
  if (!owner) return [];
  return withConsent({
    purpose: "discoverable_by_email",
    accessor: { kind: "person", userId: viewerId },
    action: { code: "found_by_email", accessorId: viewerId },
    subjectIds: [owner.id],
    use: async (consenting) => {
      if (!consenting.has(owner.id)) return { result: [], usedSubjectIds: [] };
      const user = await db().user.findUniqueOrThrow({ where: { id: owner.id }, select: authorSelect });
      return { result: [toAuthorView(user)], usedSubjectIds: [owner.id] };
    },
  });
}

/**
 * People whose handle or display name resembles `query`, best matches first; for a query shaped
 * like an email address, the one person who may be found by it.
 */
export async function searchPeople(options: { actor: PersonActor; purpose: "core.search"; query: string }): Promise<AuthorView[]> {
  const viewerId = options.actor.userId;
  if (EMAIL_SHAPE.test(options.query.trim())) return discoverByEmail(viewerId, options.query.trim());
  const query = options.query.replace(/^@/, "").toLowerCase();
  const rows = await db().$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u
    WHERE u.deactivated_at IS NULL AND (u.handle % ${query} OR lower(u.display_name) % ${query}
           OR u.handle LIKE ${`${query.replace(/[\\%_]/g, "\\$&")}%`})
      AND ${notMutedOrBlocked(viewerId, Prisma.sql`u.id`)}
    ORDER BY (u.handle = ${query}) DESC,
             greatest(similarity(u.handle, ${query}), similarity(lower(u.display_name), ${query})) DESC,
             u.handle
    LIMIT ${PAGE}`;
  const users = await db().user.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: authorSelect });
  const byId = new Map(users.map((u) => [u.id, toAuthorView(u)]));
  return rows.flatMap((r) => byId.get(r.id) ?? []);
}
