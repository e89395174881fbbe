// What the simulated people find when they arrive: each follows `followsPerPerson` others and has
// written `postsPerPerson` posts over the last week, written by SQL (as bench/chat/delivery-accounts.ts
// writes the accounts), so that the first timeline read already has a page to show and a like has
// posts to land on. Returns every post id, for the likes.
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { ChatAccount } from "../chat/delivery-accounts";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export async function writeLoadWorld(
  databaseUrl: string,
  people: readonly ChatAccount[],
  options: { followsPerPerson: number; postsPerPerson: number },
): Promise<string[]> {
  const followers: string[] = [];
  const followees: string[] = [];
  // Person i follows the next few people round the circle: everyone is followed as often as they follow.
  for (const [i, person] of people.entries()) {
    for (let step = 1; step <= Math.min(options.followsPerPerson, people.length - 1); step++) {
      followers.push(person.userId);
      followees.push(people[(i + step) % people.length]!.userId);
    }
  }
  const now = Date.now();
  const posts = people.flatMap((person) =>
    Array.from({ length: options.postsPerPerson }, (_, n) => ({
      id: randomUUID(),
      authorId: person.userId,
      text: `Earlier post ${n + 1} by ${person.handle}`,
      createdAt: new Date(now - Math.random() * WEEK_MS),
    })),
  );
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("INSERT INTO follows (follower_id, followee_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])", [followers, followees]);
    await client.query(
      `INSERT INTO posts (id, author_id, text, root_id, created_at)
       SELECT id, author_id, text, id, created_at FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS p(id, author_id, text, created_at)`,
      [posts.map((p) => p.id), posts.map((p) => p.authorId), posts.map((p) => p.text), posts.map((p) => p.createdAt)],
    );
    await client.query("COMMIT");
    await client.query("VACUUM (ANALYZE)");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return posts.map((p) => p.id);
}
