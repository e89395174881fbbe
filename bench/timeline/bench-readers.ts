// The readers the benchmark signs in: a fixed sample of people who follow someone, each with a
// session written straight into `sessions` (the row the app would write at log-in: the id is the
// SHA-256 of the token, the token goes into the cookie).
import pg from "pg";
import { generateSessionToken, sessionIdFromToken } from "../../server/auth/session-token";

export interface Reader {
  userId: string;
  handle: string;
  followees: number;
  token: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const BENCH_DEVICE_LABEL = "bench";

export async function createReaders(databaseUrl: string, count: number): Promise<Reader[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("DELETE FROM sessions WHERE device_label = $1", [BENCH_DEVICE_LABEL]);
    // A stable sample, the same on every run against the same world.
    const { rows } = await client.query<{ id: string; handle: string; followees: number }>(
      `SELECT u.id, u.handle, (SELECT count(*) FROM follows f WHERE f.follower_id = u.id)::int AS followees
       FROM users u WHERE EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = u.id)
       ORDER BY md5(u.handle || ':hearth-bench') LIMIT $1`,
      [count],
    );
    const now = Date.now();
    const readers = rows.map((row) => ({ userId: row.id, handle: row.handle, followees: row.followees, token: generateSessionToken() }));
    await client.query(
      `INSERT INTO sessions (id, user_id, device_label, created_at, last_used_at, expires_at)
       SELECT id, user_id, $3, $4, $4, $5 FROM unnest($1::text[], $2::uuid[]) AS s(id, user_id)`,
      [readers.map((r) => sessionIdFromToken(r.token)), readers.map((r) => r.userId), BENCH_DEVICE_LABEL, new Date(now), new Date(now + DAY_MS)],
    );
    return readers;
  } finally {
    await client.end();
  }
}

export async function deleteReaderSessions(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("DELETE FROM sessions WHERE device_label = $1", [BENCH_DEVICE_LABEL]);
  } finally {
    await client.end();
  }
}
