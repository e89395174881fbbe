import "server-only";
import { db } from "../db";

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
 * Counts one hit against `rule` for `subject` (an IP, a normalised email…) in a fixed window kept
 * in PostgreSQL, so every server instance shares it. Atomic: one upsert, no read-then-write race.
 * The subject is hashed into the key, so the table holds no plain addresses.
 */
export async function hitRateLimit(options: {
  rule: RateLimitRule;
  subjectHash: string;
  now?: Date;
}): Promise<RateLimitOutcome> {
  const { rule, subjectHash } = options;
  const now = options.now ?? new Date();
  const windowStartCutoff = new Date(now.getTime() - rule.windowSeconds * 1000);
  const key = `${rule.name}:${subjectHash}`;
  const rows = await db().$queryRaw<{ window_start: Date; hits: number }[]>`
    INSERT INTO rate_limit_windows (key, window_start, hits) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN rate_limit_windows.window_start <= ${windowStartCutoff}
                          THEN EXCLUDED.window_start ELSE rate_limit_windows.window_start END,
      hits = CASE WHEN rate_limit_windows.window_start <= ${windowStartCutoff}
                  THEN 1 ELSE rate_limit_windows.hits + 1 END
    RETURNING window_start, hits`;
  const row = rows[0];
  if (!row || row.hits <= rule.max) return { allowed: true, retryAfterSeconds: 0 };
  const windowEnds = row.window_start.getTime() + rule.windowSeconds * 1000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)) };
}

/** Forgets the window for `subject`, e.g. the per-account login counter after a good password. */
export async function clearRateLimit(options: { rule: RateLimitRule; subjectHash: string }): Promise<void> {
  await db().rateLimitWindow.deleteMany({ where: { key: `${options.rule.name}:${options.subjectHash}` } });
}

/** Drops windows that ended long ago; called by the session sweeper. */
export async function deleteStaleRateLimitWindows(options: { olderThan: Date }): Promise<number> {
  const { count } = await db().rateLimitWindow.deleteMany({ where: { windowStart: { lt: options.olderThan } } });
  return count;
}

/** The state of the subject's window without counting a hit. */
export async function peekRateLimit(options: {
  rule: RateLimitRule;
  subjectHash: string;
  now?: Date;
}): Promise<RateLimitOutcome> {
  const { rule } = options;
  const now = options.now ?? new Date();
  const row = await db().rateLimitWindow.findUnique({ where: { key: `${rule.name}:${options.subjectHash}` } });
  const windowEnds = row ? row.windowStart.getTime() + rule.windowSeconds * 1000 : 0;
  if (!row || windowEnds <= now.getTime() || row.hits < rule.max) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)) };
}
