// The demo world is consistent the way the app would have written it, skewed the way real social
// graphs are, and the same for the same seed. Each world gets an empty database of its own.
import { verify } from "@node-rs/argon2";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractMentionsAndHashtags } from "@/app/_shared/isomorphic/post-text";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";
import { createScratchDatabase } from "../../server/testing/scratch-database";
import { describeWorld } from "./describe-world";
import { DEMO_PASSWORD, generateWorld, type GenerateWorldOptions, type WorldSummary } from "./generate-world";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const SMALL_WORLD = { people: 30, posts: 300, seed: 7, withImages: false, now: NOW } satisfies Partial<GenerateWorldOptions>;

interface World {
  client: pg.Client;
  summary: WorldSummary;
  drop: () => Promise<void>;
}

async function makeWorld(options: Omit<GenerateWorldOptions, "databaseUrl">): Promise<World> {
  const scratch = await createScratchDatabase();
  await applyMigrations({ databaseUrl: scratch.url, migrationsDir: path.resolve("prisma/migrations") });
  const summary = await generateWorld({ ...options, databaseUrl: scratch.url });
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  return {
    client,
    summary,
    drop: async () => {
      await client.end();
      await scratch.drop();
    },
  };
}

async function rows<T extends pg.QueryResultRow>(world: World, sql: string): Promise<T[]> {
  return (await world.client.query<T>(sql)).rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The 48-bit millisecond timestamp at the front of a UUIDv7, and its version digit. */
function uuidV7Parts(id: string): { ms: number; version: string } {
  const hex = id.replace(/-/g, "");
  return { ms: parseInt(hex.slice(0, 12), 16), version: hex[12]! };
}

describe("generateWorld", () => {
  let world: World;
  let twin: World;

  beforeAll(async () => {
    [world, twin] = await Promise.all([makeWorld(SMALL_WORLD), makeWorld({ ...SMALL_WORLD, passwordHash: "not-a-real-hash" })]);
  });

  afterAll(async () => {
    await Promise.all([world?.drop(), twin?.drop()]);
  });

  it("makes the requested world, with a profile for every person and a few protected accounts", async () => {
    expect(world.summary).toMatchObject({ people: 30, posts: 300 });
    const [counts] = await rows<{ users: number; profiles: number; protected: number; posts: number }>(
      world,
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM profiles)::int AS profiles,
              (SELECT count(*) FROM profiles WHERE is_protected)::int AS protected, (SELECT count(*) FROM posts)::int AS posts`,
    );
    expect(counts).toMatchObject({ users: 30, profiles: 30, posts: 300 });
    expect(counts!.protected).toBeGreaterThanOrEqual(1);
    expect(counts!.protected).toBeLessThanOrEqual(3);
    const handles = await rows<{ handle: string }>(world, "SELECT handle FROM users");
    for (const { handle } of handles) expect(handle).toMatch(/^[a-z0-9_]{3,30}$/);
  });

  it("hashes the demo password once, and every account can log in with it", async () => {
    const hashes = await rows<{ password_hash: string }>(world, "SELECT DISTINCT password_hash FROM users");
    expect(hashes).toHaveLength(1);
    expect(await verify(hashes[0]!.password_hash, DEMO_PASSWORD)).toBe(true);
  });

  it("prints log-ins as they can be typed: each example's @handle and email are one account's, and the password is bare", async () => {
    const printed = describeWorld(world.summary);
    expect(printed.some((line) => line.endsWith(`password: ${DEMO_PASSWORD}`))).toBe(true);
    const examples = printed.flatMap((line) => {
      const match = /^ {2}@([a-z0-9_]+) +or +(\S+@\S+) +\(/.exec(line);
      return match ? [{ handle: match[1]!, email: match[2]! }] : [];
    });
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const { rows: found } = await world.client.query<{ email: string }>("SELECT email FROM users WHERE handle = $1", [example.handle]);
      expect(found[0]?.email).toBe(example.email);
    }
  });

  it("links every reply to its parent, its parent's author and its thread's first post", async () => {
    const posts = await rows<{
      id: string;
      author_id: string;
      reply_to_id: string | null;
      reply_to_author_id: string | null;
      root_id: string;
      created_at: Date;
    }>(world, "SELECT id, author_id, reply_to_id, reply_to_author_id, root_id, created_at FROM posts");
    const byId = new Map(posts.map((p) => [p.id, p]));
    let replies = 0;
    let deepReplies = 0;
    for (const post of posts) {
      if (post.reply_to_id === null) {
        expect(post.root_id).toBe(post.id);
        expect(post.reply_to_author_id).toBeNull();
        continue;
      }
      replies++;
      const parent = byId.get(post.reply_to_id);
      expect(parent).toBeDefined();
      expect(post.root_id).toBe(parent!.root_id);
      expect(post.reply_to_author_id).toBe(parent!.author_id);
      expect(parent!.created_at.getTime()).toBeLessThan(post.created_at.getTime());
      if (parent!.reply_to_id !== null) deepReplies++;
      // Walking up always reaches the root.
      let top = post;
      for (let hops = 0; top.reply_to_id !== null && hops < posts.length; hops++) top = byId.get(top.reply_to_id)!;
      expect(top.id).toBe(post.root_id);
    }
    expect(replies / posts.length).toBeGreaterThan(0.2);
    expect(replies / posts.length).toBeLessThan(0.4);
    expect(deepReplies).toBeGreaterThan(0);
    const quotes = await rows<{ n: number }>(world, "SELECT count(*)::int AS n FROM posts WHERE quote_of_id IS NOT NULL");
    expect(quotes[0]!.n).toBeGreaterThan(0);
  });

  it("gives posts and people UUIDv7 ids of their creation time, within the last 60 days for posts", async () => {
    const posts = await rows<{ id: string; created_at: Date }>(world, "SELECT id, created_at FROM posts");
    const users = await rows<{ id: string; created_at: Date }>(world, "SELECT id, created_at FROM users");
    for (const row of [...posts, ...users]) expect(uuidV7Parts(row.id)).toEqual({ ms: row.created_at.getTime(), version: "7" });
    for (const post of posts) {
      expect(post.created_at.getTime()).toBeLessThan(NOW.getTime());
      expect(post.created_at.getTime()).toBeGreaterThan(NOW.getTime() - 60 * 24 * 60 * 60 * 1000);
    }
  });

  it("fills post_hashtags and post_mentions exactly as the app's parser reads the texts", async () => {
    const posts = await rows<{ id: string; author_id: string; text: string; created_at: Date }>(world, "SELECT id, author_id, text, created_at FROM posts");
    const users = await rows<{ id: string; handle: string }>(world, "SELECT id, handle FROM users");
    const idOfHandle = new Map(users.map((u) => [u.handle, u.id]));
    const tags = await rows<{ post_id: string; tag: string; created_at: Date }>(world, "SELECT post_id, tag, created_at FROM post_hashtags");
    const mentions = await rows<{ post_id: string; user_id: string }>(world, "SELECT post_id, user_id FROM post_mentions");
    const group = <T extends { post_id: string }>(list: T[], value: (row: T) => string) => {
      const map = new Map<string, string[]>();
      for (const row of list) map.set(row.post_id, [...(map.get(row.post_id) ?? []), value(row)]);
      return map;
    };
    const tagsOf = group(tags, (t) => t.tag);
    const mentionsOf = group(mentions, (m) => m.user_id);
    const createdAt = new Map(posts.map((p) => [p.id, p.created_at.getTime()]));
    for (const tag of tags) expect(tag.created_at.getTime()).toBe(createdAt.get(tag.post_id));
    for (const post of posts) {
      const parsed = extractMentionsAndHashtags(post.text);
      expect((tagsOf.get(post.id) ?? []).sort()).toEqual([...parsed.tags].sort());
      const expected = parsed.handles.flatMap((h) => {
        const id = idOfHandle.get(h);
        return id && id !== post.author_id ? [id] : [];
      });
      expect((mentionsOf.get(post.id) ?? []).sort()).toEqual(expected.sort());
      // Every @handle in a text is a real seeded person.
      for (const handle of parsed.handles) expect(idOfHandle.has(handle)).toBe(true);
    }
    expect(tags.length).toBeGreaterThan(30);
    expect(mentions.length).toBeGreaterThan(30);
  });

  it("builds a follow graph without self-follows whose follower counts are heavily skewed", async () => {
    const [self] = await rows<{ n: number }>(world, "SELECT count(*)::int AS n FROM follows WHERE follower_id = followee_id");
    expect(self!.n).toBe(0);
    const counts = (
      await rows<{ n: number }>(world, "SELECT count(f.follower_id)::int AS n FROM users u LEFT JOIN follows f ON f.followee_id = u.id GROUP BY u.id")
    ).map((r) => r.n);
    expect(counts).toHaveLength(30);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(5 * median(counts));
  });

  it("lets people like, repost and reply only to what they may see, and never notifies anyone of themselves", async () => {
    const [hidden] = await rows<{ likes: number; reposts: number; replies: number; self: number }>(
      world,
      `SELECT
         (SELECT count(*) FROM likes l JOIN posts p ON p.id = l.post_id JOIN profiles pr ON pr.user_id = p.author_id
          WHERE (pr.is_protected AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = l.user_id AND f.followee_id = p.author_id))
             OR l.user_id = p.author_id)::int AS likes,
         (SELECT count(*) FROM reposts r JOIN posts p ON p.id = r.post_id JOIN profiles pr ON pr.user_id = p.author_id
          WHERE pr.is_protected OR r.user_id = p.author_id)::int AS reposts,
         (SELECT count(*) FROM posts p JOIN profiles pr ON pr.user_id = p.reply_to_author_id
          WHERE pr.is_protected AND p.author_id <> p.reply_to_author_id
            AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = p.author_id AND f.followee_id = p.reply_to_author_id))::int AS replies,
         (SELECT count(*) FROM notifications WHERE actor_id = recipient_id)::int AS self`,
    );
    expect(hidden).toEqual({ likes: 0, reposts: 0, replies: 0, self: 0 });
    expect(world.summary.likes).toBeGreaterThan(0);
    expect(world.summary.reposts).toBeGreaterThan(0);
    expect(world.summary.notifications).toBeGreaterThan(0);
  });

  it("is deterministic: the same seed gives the same people, texts and ids", async () => {
    const snapshot = async (w: World) => ({
      users: await rows(w, "SELECT id, handle, display_name FROM users ORDER BY id"),
      posts: await rows(w, "SELECT id, text, root_id FROM posts ORDER BY id"),
      follows: await rows(w, "SELECT follower_id, followee_id FROM follows ORDER BY 1, 2"),
    });
    expect(await snapshot(twin)).toEqual(await snapshot(world));
  });

  it("gives another seed another world", async () => {
    const other = await makeWorld({ ...SMALL_WORLD, seed: 8, passwordHash: "not-a-real-hash" });
    try {
      const mine = (await rows<{ handle: string }>(world, "SELECT handle FROM users ORDER BY handle")).map((r) => r.handle);
      const theirs = (await rows<{ handle: string }>(other, "SELECT handle FROM users ORDER BY handle")).map((r) => r.handle);
      expect(theirs).not.toEqual(mine);
    } finally {
      await other.drop();
    }
  });
});

describe("generateWorld with images", () => {
  let world: World;
  let mediaDir: string;

  beforeAll(async () => {
    mediaDir = await mkdtemp(path.join(tmpdir(), "hearth-seed-media-"));
    world = await makeWorld({ people: 12, posts: 60, seed: 3, withImages: true, images: 10, mediaDir, now: NOW, passwordHash: "not-a-real-hash" });
  });

  afterAll(async () => {
    await world?.drop();
    await rm(mediaDir, { recursive: true, force: true });
  });

  it("stores each picture and its preview where media storage looks, described by its row", async () => {
    const media = await rows<{
      id: string;
      storage_key: string;
      mime_type: string;
      width: number;
      height: number;
      bytes: number;
      alt_text: string;
      post_id: string | null;
      created_at: Date;
    }>(world, "SELECT id, storage_key, mime_type, width, height, bytes, alt_text, post_id, created_at FROM media");
    expect(media).toHaveLength(10);
    expect(world.summary.media).toBe(10);
    for (const row of media) {
      const full = await readFile(path.join(mediaDir, row.storage_key.slice(0, 2), row.storage_key));
      const preview = await readFile(path.join(mediaDir, row.storage_key.slice(0, 2), `${row.storage_key}.preview.webp`));
      expect(row.storage_key).toMatch(/^[0-9a-f]{32}$/);
      expect(row.mime_type).toBe("image/webp");
      expect(full.byteLength).toBe(row.bytes);
      expect(await sharp(full).metadata()).toMatchObject({ format: "webp", width: row.width, height: row.height });
      const previewMeta = await sharp(preview).metadata();
      expect(Math.max(previewMeta.width, previewMeta.height)).toBeLessThanOrEqual(640);
      expect(row.alt_text.length).toBeGreaterThan(20);
      expect(uuidV7Parts(row.id)).toEqual({ ms: row.created_at.getTime(), version: "7" });
    }
    const [uses] = await rows<{ in_posts: number; not_authors: number; avatars: number; positions_ok: boolean }>(
      world,
      `SELECT (SELECT count(*) FROM media WHERE post_id IS NOT NULL)::int AS in_posts,
              (SELECT count(*) FROM media m JOIN posts p ON p.id = m.post_id WHERE m.owner_id <> p.author_id)::int AS not_authors,
              (SELECT count(*) FROM profiles WHERE avatar_media_id IS NOT NULL)::int AS avatars,
              (SELECT bool_and(ok) FROM (SELECT min(position) = 0 AND max(position) = count(*) - 1 AND count(DISTINCT position) = count(*) AS ok
                                         FROM media WHERE post_id IS NOT NULL GROUP BY post_id) p) AS positions_ok`,
    );
    expect(uses!.in_posts).toBeGreaterThan(0);
    expect(uses!.not_authors).toBe(0);
    expect(uses!.avatars).toBeGreaterThan(0);
    expect(uses!.positions_ok).toBe(true);
  });
});
