// The demo world: people, a power-law follow graph, threaded posts with hashtags and mentions,
// reposts, quotes, likes, bookmarks, a few protected accounts and (optionally) pictures, written
// straight into PostgreSQL in bulk. Invariants:
// - deterministic for a seed and a `now`: the same people, texts and ids every time;
// - consistent as the app would have written it: root_id/reply_to_id/reply_to_author_id follow the
//   thread, post_hashtags and post_mentions come from the app's own parser, ids are UUIDv7 of
//   created_at, every user has a profile, nobody follows themselves or sees what they may not;
// - one transaction: a failed run leaves the database as it was (written image files are removed).
// Uses `pg` directly: no module that imports "server-only" can run outside Next.
import { hash } from "@node-rs/argon2";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { extractMentionsAndHashtags } from "@/app/_shared/isomorphic/post-text";
import { BulkWriter, type Column } from "./bulk-writer";
import { composeQuoteText, composeReplyText, composeRootText, type ComposedText } from "./compose-post-text";
import { followeesOf, followersOf, makeFollowGraph } from "./make-follow-graph";
import { makePeople } from "./make-people";
import { createRandom, seededUuidV7, weightedSampler, type Random } from "./random";

/** The password of every seeded account, printed by `npm run seed` so people can log in. */
export const DEMO_PASSWORD = "hearth-demo-world";
/** What `npm run seed` and the first-start offer create. */
export const DEMO_WORLD = { people: 50, posts: 2000, seed: 2026 } as const;

export interface GenerateWorldOptions {
  databaseUrl: string;
  people: number;
  posts: number;
  seed: number;
  withImages: boolean;
  /** Media root, `<HEARTH_DATA_DIR>/media`; required with images. */
  mediaDir?: string;
  log?: (line: string) => void;
  /** End of the 60-day window the posts fall in (default: now). Fix it for identical ids. */
  now?: Date;
  /** Mean number of accounts a person follows (default: 15% of the others, at most 150). */
  followsPerPerson?: number;
  /** Likes per post on average (default 3). */
  likesPerPost?: number;
  /** Reposts per post on average (default 0.08). */
  repostsPerPost?: number;
  /** How many pictures with images (default 100: ~70 in posts, ~24 avatars, ~6 headers). */
  images?: number;
  /** Write the notifications these events would have caused (default true). */
  notifications?: boolean;
  /** Argon2id hash used for every account; DEMO_PASSWORD is hashed once when omitted. */
  passwordHash?: string;
}

export interface SampleAccount {
  handle: string;
  /** The other way to log in (usually handle@example.org; suffixed when that was taken). */
  email: string;
  why: string;
}

export interface WorldSummary {
  people: number;
  protectedPeople: number;
  follows: number;
  posts: number;
  replies: number;
  quotes: number;
  reposts: number;
  likes: number;
  bookmarks: number;
  hashtags: number;
  mentions: number;
  media: number;
  notifications: number;
  password: string;
  sampleAccounts: SampleAccount[];
  elapsedMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The tables whose inserts fan out into home feeds (triggers home_feed_add_post, _repost, _follow). */
const FAN_OUT_TRIGGERS = ["posts", "reposts", "follows"] as const;
const HOUR_MS = 60 * 60 * 1000;
const WINDOW_MS = 60 * DAY_MS;
const POST_BATCH = 5_000;
const ROW_BATCH = 20_000;
const REPLY_SHARE = 0.3;
const QUOTE_SHARE = 0.05;
/** 70% one picture, else 60% two, else three or four. */
const IMAGES_PER_IMAGE_POST = 0.7 + 0.3 * (0.6 * 2 + 0.4 * 3.5);

// The parameters of server/auth/password.ts (which is server-only and cannot be imported here).
const ARGON2ID = 2;
const argon2Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const USER_COLUMNS: Column[] = [
  ["id", "uuid"],
  ["handle", "text"],
  ["email", "text"],
  ["password_hash", "text"],
  ["display_name", "text"],
  ["locale", "text"],
  ["created_at", "timestamptz"],
];
const PROFILE_COLUMNS: Column[] = [
  ["user_id", "uuid"],
  ["bio", "text"],
  ["is_protected", "boolean"],
];
const FOLLOW_COLUMNS: Column[] = [
  ["follower_id", "uuid"],
  ["followee_id", "uuid"],
  ["created_at", "timestamptz"],
];
const POST_COLUMNS: Column[] = [
  ["id", "uuid"],
  ["author_id", "uuid"],
  ["text", "text"],
  ["content_warning", "text"],
  ["reply_to_id", "uuid"],
  ["reply_to_author_id", "uuid"],
  ["root_id", "uuid"],
  ["quote_of_id", "uuid"],
  ["created_at", "timestamptz"],
];
const HASHTAG_COLUMNS: Column[] = [
  ["post_id", "uuid"],
  ["tag", "text"],
  ["created_at", "timestamptz"],
];
const MENTION_COLUMNS: Column[] = [
  ["post_id", "uuid"],
  ["user_id", "uuid"],
];
const USER_POST_COLUMNS: Column[] = [
  ["user_id", "uuid"],
  ["post_id", "uuid"],
  ["created_at", "timestamptz"],
];
const REQUEST_COLUMNS: Column[] = [
  ["requester_id", "uuid"],
  ["target_id", "uuid"],
  ["created_at", "timestamptz"],
];
const MEDIA_COLUMNS: Column[] = [
  ["id", "uuid"],
  ["owner_id", "uuid"],
  ["post_id", "uuid"],
  ["position", "smallint"],
  ["storage_key", "text"],
  ["mime_type", "text"],
  ["width", "int"],
  ["height", "int"],
  ["bytes", "int"],
  ["alt_text", "text"],
  ["created_at", "timestamptz"],
];

const iso = (ms: number) => new Date(ms).toISOString();

/** Post times over the window, busier in the evening (UTC), strictly increasing by the millisecond. */
function postTimes(random: Random, count: number, startMs: number, endMs: number): Float64Array {
  const times = new Float64Array(count);
  for (let i = 0; i < count;) {
    const t = startMs + random.next() * (endMs - startMs);
    const hour = new Date(t).getUTCHours();
    const busy = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI - 0.6));
    if (random.next() < busy) times[i++] = Math.floor(t);
  }
  times.sort();
  for (let i = 1; i < count; i++) if (times[i]! <= times[i - 1]!) times[i] = times[i - 1]! + 1;
  return times;
}

function delayAfter(random: Random, fromMs: number, meanMs: number, nowMs: number): number {
  const at = fromMs + 1000 + Math.floor(random.exponential(meanMs));
  return at < nowMs ? at : fromMs + Math.floor(random.next() * (nowMs - fromMs));
}

interface PlannedImage {
  owner: number;
  postIndex: number | null;
  position: number;
  role: "post" | "avatar" | "header";
  pictureKind: string;
  createdMs: number;
}

export async function generateWorld(options: GenerateWorldOptions): Promise<WorldSummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  if (options.withImages && !options.mediaDir) throw new Error("generateWorld: mediaDir is required with images");
  const nowMs = (options.now ?? new Date()).getTime();
  const peopleCount = options.people;
  const postCount = options.posts;
  const seed = options.seed;
  const stream = (name: string) => createRandom(seed, name);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const writtenFiles: string[] = [];
  try {
    const taken = new Set((await client.query<{ handle: string }>("SELECT handle FROM users")).rows.map((r) => r.handle));
    const emails = new Set((await client.query<{ email: string }>("SELECT email FROM users")).rows.map((r) => r.email));
    const passwordHash = options.passwordHash ?? (await hash(DEMO_PASSWORD, argon2Options));

    await client.query("BEGIN");
    // Fanning out row by row would write a feed entry per post and follower (about 150 million at
    // benchmark scale); the feeds are built once at the end instead, over the last day.
    await client.query(FAN_OUT_TRIGGERS.map((t) => `ALTER TABLE ${t} DISABLE TRIGGER home_feed_add_${t.slice(0, -1)};`).join("\n"));
    const writer = new BulkWriter(client);

    // People and the follow graph.
    const people = makePeople({ count: peopleCount, random: stream("people"), taken });
    const meanFollowees = options.followsPerPerson ?? Math.max(2, Math.min(150, Math.round((peopleCount - 1) * 0.15)));
    const graph = makeFollowGraph({ count: peopleCount, meanFollowees, random: stream("follows") });
    const idRandom = stream("ids");
    const userCreated = new Float64Array(peopleCount);
    const userIds: string[] = [];
    const misc = stream("misc");
    for (let i = 0; i < peopleCount; i++) {
      userCreated[i] = Math.floor(nowMs - WINDOW_MS - misc.next() * 400 * DAY_MS);
      userIds.push(seededUuidV7(userCreated[i]!, idRandom));
    }
    const isProtected = new Uint8Array(peopleCount);
    const protectedCount = peopleCount >= 10 ? Math.max(1, Math.round(peopleCount * 0.03)) : 0;
    const byFame = Array.from({ length: peopleCount }, (_, i) => i).sort((a, b) => graph.fame[b]! - graph.fame[a]!);
    const quieter = byFame.slice(Math.floor(peopleCount / 3));
    for (let chosen = 0; chosen < protectedCount && quieter.length; chosen++) isProtected[quieter.splice(misc.int(quieter.length), 1)[0]!] = 1;

    const handleIndex = new Map(people.map((p, i) => [p.handle, i]));
    const emailOf: string[] = [];
    for (let start = 0; start < peopleCount; start += ROW_BATCH) {
      const slice = people.slice(start, start + ROW_BATCH);
      await writer.insert(
        "users",
        USER_COLUMNS,
        slice.map((p, k) => {
          const i = start + k;
          let email = `${p.handle}@example.org`;
          if (emails.has(email)) email = `${p.handle}.${misc.hex(6)}@example.org`;
          emailOf[i] = email;
          return [userIds[i], p.handle, email, passwordHash, p.displayName, p.locale, iso(userCreated[i]!)];
        }),
      );
      await writer.insert(
        "profiles",
        PROFILE_COLUMNS,
        slice.map((p, k) => [userIds[start + k], p.bio, isProtected[start + k] === 1]),
      );
    }
    const followRandom = stream("follow-times");
    let followRows: unknown[][] = [];
    for (let a = 0; a < peopleCount; a++) {
      for (const b of followeesOf(graph, a)) {
        const from = Math.max(userCreated[a]!, userCreated[b]!);
        followRows.push([userIds[a], userIds[b], iso(Math.floor(from + followRandom.next() * (nowMs - HOUR_MS - from)))]);
        if (followRows.length >= ROW_BATCH) {
          await writer.insert("follows", FOLLOW_COLUMNS, followRows);
          followRows = [];
        }
      }
    }
    await writer.insert("follows", FOLLOW_COLUMNS, followRows);
    await writer.flush();
    log(`${peopleCount.toLocaleString("en")} people, ${graph.followees.length.toLocaleString("en")} follows (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // Posts, in time order, so every reply's parent and every quoted post already exists.
    const postRandom = stream("posts");
    const textRandom = stream("text");
    const imageRandom = stream("images");
    const times = postTimes(postRandom, postCount, nowMs - WINDOW_MS, nowMs - 60_000);
    const maxFame = graph.fame.reduce((m, v) => Math.max(m, v), 0);
    const activity = new Float64Array(peopleCount);
    for (let i = 0; i < peopleCount; i++) activity[i] = Math.exp(postRandom.normal()) * (1 + (4 * graph.fame[i]!) / (maxFame || 1));
    const pickActive = weightedSampler(activity);
    const authorOf = new Int32Array(postCount);
    const rootOf = new Int32Array(postCount);
    const kindOf = new Uint8Array(postCount); // 0 root, 1 reply, 2 quote
    const postIds: string[] = new Array<string>(postCount);
    const recentWindow = Math.max(20, Math.round(postCount / 480));
    const imageBudget = options.withImages ? (options.images ?? 100) : 0;
    const avatarCount = Math.min(peopleCount, Math.round(imageBudget * 0.24));
    const headerCount = Math.min(peopleCount, Math.round(imageBudget * 0.06));
    let postImagesLeft = imageBudget - avatarCount - headerCount;
    // Recomputed per post from what is left, so pictures spread evenly over the whole window.
    const imagePostChance = (i: number) => postImagesLeft / IMAGES_PER_IMAGE_POST / Math.max(1, (postCount - i) * (1 - REPLY_SHARE - QUOTE_SHARE));
    const planned: PlannedImage[] = [];
    const { PICTURE_CAPTIONS, PICTURE_KINDS } = options.withImages ? await import("./render-image") : { PICTURE_CAPTIONS: null, PICTURE_KINDS: [] };
    const mentionFor = (author: number) => (): string | null => {
      const follows = followeesOf(graph, author);
      if (follows.length && textRandom.chance(0.8)) return people[follows[textRandom.int(follows.length)]!]!.handle;
      if (peopleCount < 2) return null;
      const other = textRandom.int(peopleCount - 1);
      return people[other >= author ? other + 1 : other]!.handle;
    };
    let replies = 0;
    let quotes = 0;
    let hashtagRows = 0;
    let mentionRows = 0;
    for (let start = 0; start < postCount; start += POST_BATCH) {
      const end = Math.min(postCount, start + POST_BATCH);
      const postRows: unknown[][] = [];
      const tagRows: unknown[][] = [];
      const mentionRowsBatch: unknown[][] = [];
      for (let i = start; i < end; i++) {
        const ms = times[i]!;
        const id = seededUuidV7(ms, idRandom);
        postIds[i] = id;
        let author: number;
        let replyTo = -1;
        let quoteOf = -1;
        let composed: ComposedText;
        const roll = postRandom.next();
        if (i > 0 && roll < REPLY_SHARE) {
          let parent = -1;
          for (let t = 0; t < 3; t++) {
            let j = i - 1 - Math.floor(postRandom.exponential(recentWindow));
            if (j < 0) j = postRandom.int(i);
            if (parent < 0 || graph.fame[authorOf[j]!]! > graph.fame[authorOf[parent]!]!) parent = j;
          }
          const parentAuthor = authorOf[parent]!;
          const followers = followersOf(graph, parentAuthor);
          const who = postRandom.next();
          if (who < 0.2) author = parentAuthor;
          else if (followers.length) author = followers[postRandom.int(followers.length)]!;
          else author = isProtected[parentAuthor] ? parentAuthor : pickActive(postRandom);
          replyTo = parent;
          const addressee = author === parentAuthor ? null : people[parentAuthor]!.handle;
          composed = composeReplyText(textRandom, people[author]!, addressee, mentionFor(author));
        } else if (i > 10 && roll < REPLY_SHARE + QUOTE_SHARE) {
          author = pickActive(postRandom);
          for (let t = 0; t < 5 && quoteOf < 0; t++) {
            const j = Math.max(0, i - 1 - Math.floor(postRandom.exponential(recentWindow * 10)));
            if (!isProtected[authorOf[j]!]) quoteOf = j;
          }
          composed =
            quoteOf >= 0 ? composeQuoteText(textRandom, people[author]!, mentionFor(author)) : composeRootText(textRandom, people[author]!, mentionFor(author));
        } else {
          author = pickActive(postRandom);
          composed = composeRootText(textRandom, people[author]!, mentionFor(author));
          if (PICTURE_CAPTIONS && postImagesLeft > 0 && imageRandom.chance(imagePostChance(i))) {
            const count = Math.min(postImagesLeft, imageRandom.chance(0.7) ? 1 : imageRandom.chance(0.6) ? 2 : imageRandom.between(3, 4));
            const pictureKind = imageRandom.pick(PICTURE_KINDS);
            const captions = PICTURE_CAPTIONS[pictureKind];
            composed = { text: imageRandom.pick(people[author]!.german && imageRandom.chance(0.75) ? captions.de : captions.en), contentWarning: null };
            for (let position = 0; position < count; position++) {
              planned.push({
                owner: author,
                postIndex: i,
                position,
                role: "post",
                pictureKind: position === 0 ? pictureKind : imageRandom.pick(PICTURE_KINDS),
                createdMs: ms - 60_000,
              });
            }
            postImagesLeft -= count;
          }
        }
        authorOf[i] = author;
        kindOf[i] = replyTo >= 0 ? 1 : quoteOf >= 0 ? 2 : 0;
        rootOf[i] = replyTo >= 0 ? rootOf[replyTo]! : i;
        if (replyTo >= 0) replies++;
        if (quoteOf >= 0) quotes++;
        postRows.push([
          id,
          userIds[author],
          composed.text,
          composed.contentWarning,
          replyTo >= 0 ? postIds[replyTo] : null,
          replyTo >= 0 ? userIds[authorOf[replyTo]!] : null,
          postIds[rootOf[i]!],
          quoteOf >= 0 ? postIds[quoteOf] : null,
          iso(ms),
        ]);
        const { handles, tags } = extractMentionsAndHashtags(composed.text);
        for (const tag of tags) tagRows.push([id, tag, iso(ms)]);
        for (const handle of handles) {
          const mentioned = handleIndex.get(handle);
          if (mentioned !== undefined && mentioned !== author) mentionRowsBatch.push([id, userIds[mentioned]]);
        }
      }
      await writer.insert("posts", POST_COLUMNS, postRows);
      await writer.insert("post_hashtags", HASHTAG_COLUMNS, tagRows);
      await writer.insert("post_mentions", MENTION_COLUMNS, mentionRowsBatch);
      hashtagRows += tagRows.length;
      mentionRows += mentionRowsBatch.length;
      if (postCount >= 100_000 && (end % 100_000 === 0 || end === postCount)) {
        log(`  ${end.toLocaleString("en")} posts (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
    await writer.flush();
    log(`${postCount.toLocaleString("en")} posts, ${replies.toLocaleString("en")} of them replies (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // Who reposts and likes what: popular authors' posts draw most, mostly from their followers.
    const popularity = new Float64Array(postCount);
    const engageRandom = stream("engagement");
    for (let i = 0; i < postCount; i++) {
      popularity[i] = graph.fame[authorOf[i]!]! * Math.exp(0.8 * engageRandom.normal()) * (kindOf[i] === 1 ? 0.3 : 1);
    }
    const pickPost = postCount ? weightedSampler(popularity) : () => 0;
    const engage = async (table: "likes" | "reposts", target: number, followerShare: number, meanDelayMs: number, allowProtected: boolean) => {
      const seen = new Set<number>();
      let rows: unknown[][] = [];
      for (let attempts = 0; seen.size < target && attempts < target * 4; attempts++) {
        const post = pickPost(engageRandom);
        const author = authorOf[post]!;
        if (isProtected[author] && !allowProtected) continue;
        let user: number;
        const followers = followersOf(graph, author);
        if (followers.length && engageRandom.chance(followerShare)) user = followers[engageRandom.int(followers.length)]!;
        else if (!isProtected[author]) user = pickActive(engageRandom);
        else continue;
        if (user === author) continue;
        const key = post * peopleCount + user;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push([userIds[user], postIds[post], iso(delayAfter(engageRandom, times[post]!, meanDelayMs, nowMs))]);
        if (rows.length >= ROW_BATCH) {
          await writer.insert(table, USER_POST_COLUMNS, rows);
          rows = [];
        }
      }
      await writer.insert(table, USER_POST_COLUMNS, rows);
      await writer.flush();
      return seen.size;
    };
    const reposts = postCount ? await engage("reposts", Math.round(postCount * (options.repostsPerPost ?? 0.08)), 0.85, 6 * HOUR_MS, false) : 0;
    const likes = postCount ? await engage("likes", Math.round(postCount * (options.likesPerPost ?? 3)), 0.75, 3 * HOUR_MS, true) : 0;
    log(`${reposts.toLocaleString("en")} reposts, ${likes.toLocaleString("en")} likes (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // Bookmarks (private), follow requests waiting at protected accounts, pinned posts.
    let bookmarkRows: unknown[][] = [];
    let bookmarks = 0;
    for (let person = 0; person < peopleCount && postCount; person++) {
      const chosen = new Set<number>();
      const wanted = misc.int(5);
      for (let t = 0; t < wanted * 3 && chosen.size < wanted; t++) {
        const post = pickPost(misc);
        if (!isProtected[authorOf[post]!] && authorOf[post] !== person) chosen.add(post);
      }
      for (const post of chosen) bookmarkRows.push([userIds[person], postIds[post], iso(delayAfter(misc, times[post]!, DAY_MS, nowMs))]);
      bookmarks += chosen.size;
      if (bookmarkRows.length >= ROW_BATCH) {
        await writer.insert("bookmarks", USER_POST_COLUMNS, bookmarkRows);
        bookmarkRows = [];
      }
    }
    await writer.insert("bookmarks", USER_POST_COLUMNS, bookmarkRows);
    const requestRows: unknown[][] = [];
    for (let target = 0; target < peopleCount; target++) {
      if (!isProtected[target]) continue;
      const following = new Set(followersOf(graph, target));
      const wanted = misc.between(1, 2);
      const asked = new Set<number>();
      for (let t = 0; t < 20 && asked.size < wanted; t++) {
        const requester = misc.int(peopleCount);
        if (requester !== target && !following.has(requester)) asked.add(requester);
      }
      for (const requester of asked) requestRows.push([userIds[requester], userIds[target], iso(nowMs - Math.floor(misc.next() * 7 * DAY_MS))]);
    }
    await writer.insert("follow_requests", REQUEST_COLUMNS, requestRows);
    await writer.flush();
    const pinners = userIds.filter(() => misc.chance(0.12));
    if (pinners.length) {
      await client.query(
        `UPDATE profiles pr SET pinned_post_id = best.id
         FROM (SELECT DISTINCT ON (p.author_id) p.author_id, p.id
               FROM posts p LEFT JOIN likes l ON l.post_id = p.id
               WHERE p.author_id = ANY($1::uuid[]) AND p.reply_to_id IS NULL
               GROUP BY p.author_id, p.id
               ORDER BY p.author_id, count(l.user_id) DESC, p.id) best
         WHERE pr.user_id = best.author_id`,
        [pinners],
      );
    }

    // Pictures: post images planned above, plus avatars and headers of mostly well-known people.
    let media = 0;
    if (options.withImages && imageBudget > 0) {
      const byPull = [...byFame];
      const faces = new Set<number>();
      // Pictures the posts did not use become more avatars, so the total is what was asked for.
      const faceCount = Math.min(peopleCount, avatarCount + Math.max(0, postImagesLeft));
      while (faces.size < faceCount && byPull.length) faces.add(byPull.splice(Math.floor(Math.pow(imageRandom.next(), 2) * byPull.length), 1)[0]!);
      const { AVATAR_KINDS } = await import("./render-image");
      for (const owner of faces)
        planned.push({
          owner,
          postIndex: null,
          position: 0,
          role: "avatar",
          pictureKind: imageRandom.pick(AVATAR_KINDS),
          createdMs: userCreated[owner]! + HOUR_MS,
        });
      for (const owner of [...faces].slice(0, headerCount))
        planned.push({
          owner,
          postIndex: null,
          position: 0,
          role: "header",
          pictureKind: imageRandom.pick(["sunset", "mountains", "waves", "night"]),
          createdMs: userCreated[owner]! + 2 * HOUR_MS,
        });
      media = await writeImages({ planned, random: imageRandom, mediaDir: options.mediaDir!, client, writer, userIds, postIds, idRandom, writtenFiles, log });
    }

    const notifications = options.notifications === false ? 0 : await writeNotifications(client, userIds, nowMs);
    await client.query(FAN_OUT_TRIGGERS.map((t) => `ALTER TABLE ${t} ENABLE TRIGGER home_feed_add_${t.slice(0, -1)};`).join("\n"));
    await client.query("SELECT home_feed_rebuild($1::timestamptz - interval '1 day')", [new Date(nowMs)]);
    await client.query("COMMIT");
    await client.query(
      "ANALYZE users, profiles, follows, posts, post_hashtags, post_mentions, likes, reposts, bookmarks, media, notifications, home_feeds, home_feed_entries",
    );

    const followeeCount = (i: number) => graph.followeeOffsets[i + 1]! - graph.followeeOffsets[i]!;
    const followerCount = (i: number) => graph.followerOffsets[i + 1]! - graph.followerOffsets[i]!;
    const open = Array.from({ length: peopleCount }, (_, i) => i).filter((i) => !isProtected[i]);
    const sampleAccounts: SampleAccount[] = [];
    if (open.length) {
      const busiest = open.reduce((best, i) => (followeeCount(i) > followeeCount(best) ? i : best));
      const famous = open
        .filter((i) => i !== busiest)
        .reduce((best, i) => (followerCount(i) > followerCount(best) ? i : best), open.find((i) => i !== busiest) ?? busiest);
      sampleAccounts.push({ handle: people[busiest]!.handle, email: emailOf[busiest]!, why: `follows ${followeeCount(busiest)} people: a busy home timeline` });
      if (famous !== busiest)
        sampleAccounts.push({ handle: people[famous]!.handle, email: emailOf[famous]!, why: `the most followed (${followerCount(famous)} followers)` });
    }
    const locked = isProtected.findIndex((v) => v === 1);
    if (locked >= 0) sampleAccounts.push({ handle: people[locked]!.handle, email: emailOf[locked]!, why: "a protected account, with follow requests waiting" });

    return {
      people: peopleCount,
      protectedPeople: protectedCount,
      follows: graph.followees.length,
      posts: postCount,
      replies,
      quotes,
      reposts,
      likes,
      bookmarks,
      hashtags: hashtagRows,
      mentions: mentionRows,
      media,
      notifications,
      password: DEMO_PASSWORD,
      sampleAccounts,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    await Promise.all(writtenFiles.map((file) => rm(file, { force: true })));
    throw error;
  } finally {
    await client.end();
  }
}

async function writeImages(options: {
  planned: PlannedImage[];
  random: Random;
  mediaDir: string;
  client: pg.Client;
  writer: BulkWriter;
  userIds: string[];
  postIds: string[];
  idRandom: Random;
  writtenFiles: string[];
  log: (line: string) => void;
}): Promise<number> {
  const { renderAvatar, renderPicture, IMAGE_MIME_TYPE } = await import("./render-image");
  const { planned, random } = options;
  // Everything random is drawn up front, in order, so that rendering two at a time stays deterministic.
  const jobs = planned.map((image) => ({
    image,
    key: random.hex(32),
    id: seededUuidV7(image.createdMs, options.idRandom),
    random: createRandom(random.uint32(), "picture"),
  }));
  const rows: unknown[][] = new Array<unknown[]>(jobs.length);
  const avatars: [string, string][] = [];
  const headers: [string, string][] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < jobs.length; index = next++) {
      const { image, key, id, random: pictureRandom } = jobs[index]!;
      const rendered =
        image.role === "avatar"
          ? await renderAvatar(image.pictureKind as Parameters<typeof renderAvatar>[0], pictureRandom)
          : await renderPicture(image.pictureKind as Parameters<typeof renderPicture>[0], pictureRandom, image.role === "header" ? [1500, 500] : undefined);
      // The layout of server/media/media-storage.ts: <root>/<first two characters>/<key>.
      const dir = path.join(options.mediaDir, key.slice(0, 2));
      await mkdir(dir, { recursive: true });
      const full = path.join(dir, key);
      const preview = path.join(dir, `${key}.preview.webp`);
      options.writtenFiles.push(full, preview);
      await writeFile(full, rendered.full, { mode: 0o600 });
      await writeFile(preview, rendered.preview, { mode: 0o600 });
      rows[index] = [
        id,
        options.userIds[image.owner],
        image.postIndex === null ? null : options.postIds[image.postIndex],
        image.position,
        key,
        IMAGE_MIME_TYPE,
        rendered.width,
        rendered.height,
        rendered.full.byteLength,
        rendered.altText,
        iso(image.createdMs),
      ];
      if (image.role === "avatar") avatars.push([options.userIds[image.owner]!, id]);
      if (image.role === "header") headers.push([options.userIds[image.owner]!, id]);
    }
  };
  await Promise.all([worker(), worker()]);
  await options.writer.insert("media", MEDIA_COLUMNS, rows);
  await options.writer.flush();
  for (const [column, pairs] of [
    ["avatar_media_id", avatars],
    ["header_media_id", headers],
  ] as const) {
    if (!pairs.length) continue;
    await options.client.query(
      `UPDATE profiles SET ${column} = x.media_id FROM unnest($1::uuid[], $2::uuid[]) AS x(user_id, media_id) WHERE profiles.user_id = x.user_id`,
      [pairs.map(([u]) => u), pairs.map(([, m]) => m)],
    );
  }
  options.log(`${jobs.length} pictures in ${options.mediaDir}`);
  return jobs.length;
}

/**
 * The notifications the seeded events would have caused, as the app writes them (no
 * self-notifications; a mention is not repeated for the person already told of the reply or
 * quote), with deterministic UUIDv7 ids from a session-local SQL function. Older ones are read.
 */
async function writeNotifications(client: pg.Client, userIds: string[], nowMs: number): Promise<number> {
  await client.query(`CREATE TEMP TABLE seeded_users (id uuid PRIMARY KEY) ON COMMIT DROP`);
  await client.query(`INSERT INTO seeded_users SELECT unnest($1::uuid[])`, [userIds]);
  await client.query(`
    CREATE FUNCTION pg_temp.seed_uuid_v7(ts timestamptz, salt text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
      SELECT (lpad(to_hex(floor(extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(h, 1, 3)
              || substr('89ab', 1 + get_byte(decode(substr(h, 4, 2), 'hex'), 0) % 4, 1) || substr(h, 6, 15))::uuid
      FROM md5(salt) AS h
    $$`);
  const result = await client.query(
    `INSERT INTO notifications (id, recipient_id, actor_id, kind, post_id, created_at, read_at)
     SELECT pg_temp.seed_uuid_v7(e.created_at, e.kind || e.actor_id || e.recipient_id || coalesce(e.post_id::text, '')),
            e.recipient_id, e.actor_id, e.kind::notification_kind, e.post_id, e.created_at,
            CASE WHEN e.created_at < $1::timestamptz - interval '2 days' THEN e.created_at + interval '3 hours' END
     FROM (
       SELECT f.followee_id AS recipient_id, f.follower_id AS actor_id, 'follow' AS kind, NULL::uuid AS post_id, f.created_at
       FROM follows f JOIN seeded_users s ON s.id = f.follower_id
       UNION ALL
       SELECT fr.target_id, fr.requester_id, 'follow_request', NULL, fr.created_at
       FROM follow_requests fr JOIN seeded_users s ON s.id = fr.requester_id
       UNION ALL
       SELECT p.author_id, l.user_id, 'like', p.id, l.created_at
       FROM likes l JOIN seeded_users s ON s.id = l.user_id JOIN posts p ON p.id = l.post_id WHERE p.author_id <> l.user_id
       UNION ALL
       SELECT p.author_id, r.user_id, 'repost', p.id, r.created_at
       FROM reposts r JOIN seeded_users s ON s.id = r.user_id JOIN posts p ON p.id = r.post_id WHERE p.author_id <> r.user_id
       UNION ALL
       SELECT p.reply_to_author_id, p.author_id, 'reply', p.id, p.created_at
       FROM posts p JOIN seeded_users s ON s.id = p.author_id WHERE p.reply_to_author_id IS NOT NULL AND p.reply_to_author_id <> p.author_id
       UNION ALL
       SELECT q.author_id, p.author_id, 'quote', p.id, p.created_at
       FROM posts p JOIN seeded_users s ON s.id = p.author_id JOIN posts q ON q.id = p.quote_of_id WHERE q.author_id <> p.author_id
       UNION ALL
       SELECT m.user_id, p.author_id, 'mention', p.id, p.created_at
       FROM post_mentions m JOIN posts p ON p.id = m.post_id JOIN seeded_users s ON s.id = p.author_id
       LEFT JOIN posts q ON q.id = p.quote_of_id
       WHERE m.user_id IS DISTINCT FROM p.reply_to_author_id AND m.user_id IS DISTINCT FROM q.author_id
     ) e`,
    [new Date(nowMs).toISOString()],
  );
  return result.rowCount ?? 0;
}
