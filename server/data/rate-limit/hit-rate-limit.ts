import "server-only";
import { db, Prisma } from "../db";

export interface RateLimitRule {
  /** A short name for the limited action, e.g. "login:ip". */
  name: string;
  max: number;
  windowSeconds: number;
}

export interface RateLimitOutcome {
  allowed: boolean;
  /** Seconds until the current window ends; 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * Where a window opened at `now` is stored as starting: the first multiple of the window's length
 * at or after `now`. A row thus says no more about when than the window does (a one-minute window
 * shows the minute, not the request), and a burst that began just before a boundary still counts
 * in one window: a window lasts from its first hit until one length after the stored start,
 * between one and two lengths.
 */
export function storedWindowStart(rule: RateLimitRule, now: Date): Date {
  const length = rule.windowSeconds * 1000;
  return new Date(Math.ceil(now.getTime() / length) * length);
}

/**
 * Counts `cost` hits (one by default; a batch can count its items) against `rule` for a subject in
 * a fixed window kept in PostgreSQL, so every server instance shares it. Atomic: one upsert, no
 * read-then-write race. `subjectHash` is the caller's keyed MAC of the subject; the table holds no
 * plain or merely hashed subjects.
 */
export async function hitRateLimit(options: { rule: RateLimitRule; subjectHash: string; now?: Date; cost?: number }): Promise<RateLimitOutcome> {
  const { rule, subjectHash } = options;
  const cost = options.cost ?? 1;
  if (!Number.isSafeInteger(cost) || cost < 1) throw new Error(`A rate-limit hit costs a whole number of at least 1, not ${cost}.`);
  const now = options.now ?? new Date();
  const windowStartCutoff = new Date(now.getTime() - rule.windowSeconds * 1000);
  const key = `${rule.name}:${subjectHash}`;
  const rows = await db().$queryRaw<{ window_start: Date; hits: number }[]>`
    INSERT INTO rate_limit_windows (key, window_start, hits) VALUES (${key}, ${storedWindowStart(rule, now)}, ${cost})
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN rate_limit_windows.window_start <= ${windowStartCutoff}
                          THEN EXCLUDED.window_start ELSE rate_limit_windows.window_start END,
      hits = CASE WHEN rate_limit_windows.window_start <= ${windowStartCutoff}
                  THEN EXCLUDED.hits ELSE rate_limit_windows.hits + EXCLUDED.hits END
    RETURNING window_start, hits`;
  const row = rows[0];
  if (!row || row.hits <= rule.max) return { allowed: true, retryAfterSeconds: 0 };
  const windowEnds = row.window_start.getTime() + rule.windowSeconds * 1000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)) };
}

/**
 * hitRateLimit for several windows in one statement (one round trip: a chat send counts messages
 * and envelopes on every request). Every hit is counted, even when another one refuses. The keys
 * must differ. Outcomes come in the order of `hits`.
 */
export async function hitRateLimits(hits: { rule: RateLimitRule; subjectHash: string; cost?: number }[], now = new Date()): Promise<RateLimitOutcome[]> {
  const keys = hits.map((h) => `${h.rule.name}:${h.subjectHash}`);
  if (new Set(keys).size !== keys.length) throw new Error("hitRateLimits counts each window once.");
  const values = hits.map((h, index) => {
    const cost = h.cost ?? 1;
    if (!Number.isSafeInteger(cost) || cost < 1) throw new Error(`A rate-limit hit costs a whole number of at least 1, not ${cost}.`);
    const cutoff = new Date(now.getTime() - h.rule.windowSeconds * 1000);
    return Prisma.sql`(${keys[index]}, ${storedWindowStart(h.rule, now)}::timestamptz, ${cost}::int, ${cutoff}::timestamptz)`;
  });
  // As hitRateLimit's upsert, with each row's own cutoff looked up from the input by key.
  const rows = await db().$queryRaw<{ key: string; window_start: Date; hits: number }[]>`
    WITH input (key, window_start, hits, cutoff) AS (VALUES ${Prisma.join(values)})
    INSERT INTO rate_limit_windows (key, window_start, hits) SELECT key, window_start, hits FROM input
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN rate_limit_windows.window_start <= (SELECT cutoff FROM input WHERE input.key = EXCLUDED.key)
                          THEN EXCLUDED.window_start ELSE rate_limit_windows.window_start END,
      hits = CASE WHEN rate_limit_windows.window_start <= (SELECT cutoff FROM input WHERE input.key = EXCLUDED.key)
                  THEN EXCLUDED.hits ELSE rate_limit_windows.hits + EXCLUDED.hits END
    RETURNING key, window_start, hits`;
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return hits.map((h, index) => {
    const row = byKey.get(keys[index]!);
    if (!row || row.hits <= h.rule.max) return { allowed: true, retryAfterSeconds: 0 };
    const windowEnds = row.window_start.getTime() + h.rule.windowSeconds * 1000;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)) };
  });
}

/** Forgets the window for `subject`, e.g. the per-account login counter after a good password. */
export async function clearRateLimit(options: { rule: RateLimitRule; subjectHash: string }): Promise<void> {
  await db().rateLimitWindow.deleteMany({ where: { key: `${options.rule.name}:${options.subjectHash}` } });
}

/** Forgets several windows at once, e.g. every limit of an account being purged. */
export async function clearRateLimits(options: { windows: Array<{ rule: RateLimitRule; subjectHash: string }> }): Promise<void> {
  if (!options.windows.length) return;
  await db().rateLimitWindow.deleteMany({ where: { key: { in: options.windows.map((w) => `${w.rule.name}:${w.subjectHash}`) } } });
}

/** Drops windows that ended long ago; called by the session sweeper. */
export async function deleteStaleRateLimitWindows(options: { olderThan: Date }): Promise<number> {
  const { count } = await db().rateLimitWindow.deleteMany({ where: { windowStart: { lt: options.olderThan } } });
  return count;
}

/** The state of the subject's window without counting a hit. */
export async function peekRateLimit(options: { rule: RateLimitRule; subjectHash: string; now?: Date }): Promise<RateLimitOutcome> {
  const { rule } = options;
  const now = options.now ?? new Date();
  const row = await db().rateLimitWindow.findUnique({ where: { key: `${rule.name}:${options.subjectHash}` } });
  const windowEnds = row ? row.windowStart.getTime() + rule.windowSeconds * 1000 : 0;
  if (!row || windowEnds <= now.getTime() || row.hits < rule.max) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)) };
}
