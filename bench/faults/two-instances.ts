// Two app instances on shared real components (issue 15, item 4; issue 16, item 5): the production
// build served twice, on two ports, with separate data folders, behind a round-robin proxy
// (bench/lib/round-robin-proxy.ts), on one PostgreSQL and one S3 store (gofakes3, a stand-in S3
// server: scripts/s3/fake-s3.ts). It proves, and exits 1 unless:
//   1. a message sent through instance A reaches a subscriber on B, and one sent through B a
//      subscriber on A (Postgres LISTEN/NOTIFY wakes the other instance's stream);
//   2. a post with an image made on A is served by B, image bytes included (the S3 store);
//   3. a session made by logging in on A works on B, and logging out on B ends it on A;
//   4. the failed-password limit counts log-ins on both instances together (rate limits live in
//      PostgreSQL);
//   5. SIGKILL of instance A in the middle of a burst of posts and messages from several clients
//      through the proxy loses nothing: the clients send again (the proxy fails over to B), and
//      every post and message exists exactly once (no-loss.ts, as crash.ts checks one instance);
//      the recipient's stream moves to B, and a fresh stream receives every message.
//
//   npx tsx bench/faults/two-instances.ts             # 500 messages and 200 posts
//   npx tsx bench/faults/two-instances.ts --short     # CI's form (scripts/test.ts): 100 and 40
//   options: --messages N --posts N --clients 4 --build --keep
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import pg from "pg";
import sharp from "sharp";
import { buildFakeS3, findFakeS3, startFakeS3 } from "../../scripts/s3/fake-s3";
import { startEmbeddedPostgres } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";
import { createChatHttp, SESSION_COOKIE } from "../chat/chat-http";
import { createChatAccounts, type ChatAccount } from "../chat/delivery-accounts";
import { subscribeEnvelopes } from "../chat/envelope-subscriber";
import { freePort } from "../../scripts/free-port";
import { ensureBuild, startAppServer, type AppServer } from "../lib/app-server";
import { CleanUp } from "../lib/clean-up";
import { startRoundRobinProxy } from "../lib/round-robin-proxy";
import { burst, faultTestOptions, lossFree, runClients, sleep, verify, waitUntil } from "./no-loss";

const OPTIONS = faultTestOptions();
const { messages: MESSAGES, posts: POSTS, clients: CLIENTS } = OPTIONS;
/** Messages sent across instances in each direction for check 1. */
const CROSS_MESSAGES = 20;
/** A message must arrive this soon to count: well under the stream's 20–25 s re-read, on a busy 2-core machine too. */
const WOKEN_WITHIN_MS = 5_000;
/** Instance A dies once this share of the burst has been acknowledged. */
const STRIKE_AT = 0.3;
const PASSWORD = "two instances, one database";
/** The failed-password limit per account (server/auth/rate-limits.ts, logInFailuresPerAccount). */
const LOG_IN_FAILURES_ALLOWED = 5;

const log = (line: string) => console.log(`[two-instances] ${line}`);

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

interface TrpcAnswer<T> {
  status: number;
  data: T | null;
  code: string | null;
  sessionCookie: string | null;
}

/** One tRPC call as the browser's httpBatchLink makes it; a mutation when `input` is sent as a body. */
async function trpc<T>(origin: string, kind: "query" | "mutation", procedure: string, input: unknown, token?: string): Promise<TrpcAnswer<T>> {
  const headers: Record<string, string> = { origin };
  if (token) headers.cookie = `${SESSION_COOKIE}=${token}`;
  const batch = JSON.stringify({ 0: input });
  const response =
    kind === "query"
      ? await fetch(`${origin}/api/trpc/${procedure}?batch=1&input=${encodeURIComponent(batch)}`, { headers })
      : await fetch(`${origin}/api/trpc/${procedure}?batch=1`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: batch });
  const [item] = (await response.json()) as [{ result?: { data: T }; error?: { data?: { code?: string } } }];
  const cookie = response.headers
    .getSetCookie()
    .map((line) => new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(line)?.[1])
    .find((value) => value !== undefined);
  return { status: response.status, data: item?.result?.data ?? null, code: item?.error?.data?.code ?? null, sessionCookie: cookie ?? null };
}

/**
 * Check 1: messages sent through `from` reach a device streaming from `to`, each well within the
 * stream's periodic re-read (20–25 s), so it was the NOTIFY that woke it (on a quiet machine, in milliseconds).
 */
async function crossInstanceDelivery(from: AppServer, to: AppServer, sender: ChatAccount, recipient: ChatAccount): Promise<void> {
  const agent = new http.Agent({ keepAlive: true });
  const arrived = new Map<string, number>();
  const subscription = subscribeEnvelopes({
    origin: to.origin,
    token: recipient.token,
    deviceRowId: recipient.deviceRowId,
    agent,
    onEnvelope: (envelope) => arrived.set(envelope.payload, performance.now()),
    onTrouble: (message) => log(`  stream trouble: ${message}`),
  });
  await subscription.connected;
  const senderHttp = createChatHttp(from.origin);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < CROSS_MESSAGES; i++) {
      const payload = randomBytes(306).toString("base64url");
      const sentAt = performance.now();
      await senderHttp.mutate(sender.token, "chat.envelopes.send", {
        clientMessageId: randomUUID(),
        envelopes: [{ deviceRowId: recipient.deviceRowId, payload }],
      });
      await waitUntil(() => arrived.has(payload), WOKEN_WITHIN_MS).catch(() => undefined);
      latencies.push(arrived.has(payload) ? arrived.get(payload)! - sentAt : Infinity);
    }
  } finally {
    subscription.close();
    senderHttp.close();
    agent.destroy();
  }
  const sorted = latencies.sort((a, b) => a - b);
  const delivered = sorted.filter(Number.isFinite).length;
  check(
    delivered === CROSS_MESSAGES,
    `a message sent through ${from.origin} reaches a subscriber on ${to.origin}: ${delivered} of ${CROSS_MESSAGES}, ` +
      `send to receive p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
  );
}

/** Check 2: a post with an image made on A, read on B, image bytes included. */
async function postAcrossInstances(a: AppServer, b: AppServer, author: ChatAccount): Promise<void> {
  const png = await sharp({ create: { width: 48, height: 32, channels: 3, background: "#c0392b" } })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "red.png");
  const uploaded = await fetch(`${a.origin}/api/media/upload`, {
    method: "POST",
    headers: { origin: a.origin, cookie: `${SESSION_COOKIE}=${author.token}` },
    body: form,
  });
  const media = (await uploaded.json()) as { id: string };
  check(uploaded.status === 201, `an image uploads to instance A (HTTP ${uploaded.status})`);
  const text = `made on instance A ${randomBytes(6).toString("hex")}`;
  const created = await trpc<{ id: string }>(
    a.origin,
    "mutation",
    "social.posts.create",
    { text, media: [{ id: media.id, altText: "A red square" }] },
    author.token,
  );
  const onB = await trpc<{ text: string }>(b.origin, "query", "social.posts.get", { id: created.data?.id }, author.token);
  check(onB.data?.text === text, "a post made on instance A is read on instance B");
  const [fromA, fromB] = await Promise.all(
    [a, b].map(async (instance) => {
      const response = await fetch(`${instance.origin}/api/media/${media.id}`, { headers: { cookie: `${SESSION_COOKIE}=${author.token}` } });
      return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
    }),
  );
  check(
    fromB!.status === 200 && fromB!.bytes.length > 0 && fromB!.bytes.equals(fromA!.bytes),
    `its image, stored through A in the shared S3 store, is served by B byte for byte (HTTP ${fromB!.status}, ${fromB!.bytes.length} bytes)`,
  );
}

/** Checks 3 and 4: sessions and the failed-password limit span both instances. */
async function sessionsAndRateLimits(a: AppServer, b: AppServer, databaseUrl: string, sessionAccount: ChatAccount, limitedAccount: ChatAccount): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  // Argon2id, as sign-up stores it (the parameters travel in the hash).
  await db.query("UPDATE users SET password_hash = $1 WHERE id = ANY($2::uuid[])", [
    await hash(PASSWORD, { algorithm: 2 }),
    [sessionAccount.userId, limitedAccount.userId],
  ]);
  await db.end();

  const loggedIn = await trpc<{ ok: boolean }>(a.origin, "mutation", "auth.logIn", { identifier: sessionAccount.handle, password: PASSWORD });
  const token = loggedIn.sessionCookie;
  const meOnB = token ? await trpc<{ handle: string } | null>(b.origin, "query", "auth.me", {}, token) : null;
  check(loggedIn.data?.ok === true && meOnB?.data?.handle === sessionAccount.handle, "a session made by logging in on instance A is signed in on instance B");
  const loggedOut = await trpc<{ ok: boolean }>(b.origin, "mutation", "auth.logOut", {}, token ?? undefined);
  const meOnA = await trpc<{ handle: string } | null>(a.origin, "query", "auth.me", {}, token ?? undefined);
  check(loggedOut.data?.ok === true && meOnA.status === 200 && meOnA.data === null, "logging out on instance B ends the session on instance A");

  const wrong: number[] = [];
  for (let i = 0; i < LOG_IN_FAILURES_ALLOWED; i++) {
    const instance = i % 2 === 0 ? a : b;
    wrong.push((await trpc(instance.origin, "mutation", "auth.logIn", { identifier: limitedAccount.handle, password: `wrong guess ${i}` })).status);
  }
  const [nextOnA, nextOnB] = [
    await trpc(a.origin, "mutation", "auth.logIn", { identifier: limitedAccount.handle, password: PASSWORD }),
    await trpc(b.origin, "mutation", "auth.logIn", { identifier: limitedAccount.handle, password: PASSWORD }),
  ];
  check(
    wrong.every((status) => status === 401) && nextOnA.code === "TOO_MANY_REQUESTS" && nextOnB.code === "TOO_MANY_REQUESTS",
    `${LOG_IN_FAILURES_ALLOWED} wrong passwords spread over A and B (HTTP ${wrong.join(", ")}) stop the next log-in on both (${nextOnA.code}, ${nextOnB.code})`,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const cleanUp = new CleanUp(log);
  await ensureBuild({ force: OPTIONS.build, log });
  const dataDir = await mkdtemp(path.join(tmpdir(), "hearth-two-instances-"));
  if (!OPTIONS.keep) cleanUp.push(() => rm(dataDir, { recursive: true, force: true }));
  try {
    const database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_two_instances", port: await freePort() });
    cleanUp.push(() => database.stop());
    await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
    const s3 = await startFakeS3({ binary: findFakeS3() ?? buildFakeS3(log) });
    cleanUp.push(() => s3.stop());
    const [recipient, crossSender, sessionAccount, limitedAccount, ...clients] = await createChatAccounts(database.url, CLIENTS + 4);

    const [portA, portB] = [await freePort(), await freePort()];
    const proxy = await startRoundRobinProxy({ upstreams: [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`] });
    cleanUp.push(() => proxy.close());
    // What every instance shares: the database, the store, the keys kept outside the database, and the proxy in front.
    const shared = {
      HEARTH_STORAGE: "s3",
      HEARTH_S3_ENDPOINT: s3.endpoint,
      HEARTH_S3_BUCKET: s3.bucket,
      HEARTH_S3_ACCESS_KEY_ID: s3.accessKeyId,
      HEARTH_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      HEARTH_S3_FORCE_PATH_STYLE: "1",
      HEARTH_TRUST_PROXY: "1",
      HEARTH_PUBLIC_ORIGIN: proxy.origin,
      HEARTH_RATE_LIMIT_SECRET: randomBytes(32).toString("hex"),
      HEARTH_FRANKING_SECRET: randomBytes(32).toString("hex"),
      HEARTH_VAPID_PRIVATE_KEY: randomBytes(32).toString("base64url"),
      // No calls here: naming a LiveKit server (never contacted) keeps scripts/start.ts from starting one beside each app.
      LIVEKIT_URL: "ws://127.0.0.1:9",
      LIVEKIT_API_KEY: "two-instances-unused",
      LIVEKIT_API_SECRET: randomBytes(32).toString("hex"),
    };
    // Each instance its own data folder: nothing is shared through the disk.
    const startInstance = async (name: string, port: number) => {
      const own = path.join(dataDir, name);
      await mkdir(own, { recursive: true });
      const app = await startAppServer({ databaseUrl: database.url, dataDir: own, port, log, env: shared });
      cleanUp.push(() => app.stop());
      return app;
    };
    const [a, b] = await Promise.all([startInstance("a", portA), startInstance("b", portB)]);
    log(`Two instances up behind ${proxy.origin} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    await crossInstanceDelivery(a, b, crossSender!, recipient!);
    await crossInstanceDelivery(b, a, crossSender!, recipient!);
    await postAcrossInstances(a, b, crossSender!);
    await sessionsAndRateLimits(a, b, database.url, sessionAccount!, limitedAccount!);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    // What two instances hold open: each instance's pool, notify bus and lock connection (docs/scaling.md).
    const connections = await db.query<{ name: string; n: string }>(
      "SELECT coalesce(nullif(application_name, ''), '(unnamed: the pool)') AS name, count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY 1",
    );
    log(`PostgreSQL connections of the two instances: ${connections.rows.map((row) => `${row.name} ${row.n}`).join(", ")}`);
    // The cross-instance messages above are not part of the burst.
    await db.query("DELETE FROM chat_envelopes");
    await db.end();

    // Check 5: the burst through the proxy, with instance A killed part-way.
    const operations = burst(clients, { posts: POSTS, messages: MESSAGES });
    const agent = new http.Agent({ keepAlive: true });
    const streamed = new Set<string>();
    // The proxy's first request goes to A: the stream is on the instance that dies.
    const subscription = subscribeEnvelopes({
      origin: proxy.origin,
      token: recipient!.token,
      deviceRowId: recipient!.deviceRowId,
      agent,
      onEnvelope: (envelope) => streamed.add(envelope.payload),
      onTrouble: () => undefined,
    });
    await subscription.connected;
    const sender = createChatHttp(proxy.origin);
    const burstStarted = Date.now();
    const strike = async () => {
      await waitUntil(() => operations.filter((o) => o.acknowledgedAs).length >= operations.length * STRIKE_AT, 120_000);
      log(`killing instance A (SIGKILL) after ${operations.filter((o) => o.acknowledgedAs).length} of ${operations.length} acknowledged`);
      process.kill(-a.processGroup!, "SIGKILL");
    };
    await Promise.all([strike(), runClients(sender, clients, operations, recipient!)]);
    const burstSeconds = (Date.now() - burstStarted) / 1000;
    const report = await verify(database.url, operations, clients, recipient!);
    const retried = operations.filter((o) => o.attempts > 1).length;
    check(
      lossFree(report, operations),
      `instance A killed mid-burst: ${operations.length} sent through the proxy (${MESSAGES} messages, ${POSTS} posts) in ${burstSeconds.toFixed(1)} s; ` +
        `${retried} sent again after an error; stored exactly once: ${report.once}; lost: ${report.lost}; duplicated: ${report.duplicated}; ` +
        `acknowledged with another id: ${report.mismatched}`,
    );
    const messages = operations.filter((o) => o.kind === "message");
    await waitUntil(() => messages.every((o) => streamed.has(o.content)), 10_000).catch(() => undefined);
    const resumedGot = messages.filter((o) => streamed.has(o.content)).length;
    // As the app does at every start: a stream from the beginning (no Last-Event-ID) gets everything not acknowledged.
    const fresh = new Set<string>();
    const freshSubscription = subscribeEnvelopes({
      origin: proxy.origin,
      token: recipient!.token,
      deviceRowId: recipient!.deviceRowId,
      agent,
      onEnvelope: (envelope) => fresh.add(envelope.payload),
      onTrouble: () => undefined,
    });
    await freshSubscription.connected;
    await waitUntil(() => messages.every((o) => fresh.has(o.content)), 30_000).catch(() => undefined);
    freshSubscription.close();
    check(
      subscription.reconnections >= 1 && messages.every((o) => fresh.has(o.content)),
      `the recipient's stream through the proxy moved to B (${subscription.reconnections} reconnection(s)); a stream opened afresh receives all ` +
        `${messages.filter((o) => fresh.has(o.content)).length} of ${messages.length} messages`,
    );
    // The resumed stream (Last-Event-ID, on B) starts shortly before that id, so an envelope with an older
    // id that committed after it is not skipped (docs/scaling.md).
    check(resumedGot === messages.length, `the stream resumed on B with Last-Event-ID received ${resumedGot} of ${messages.length} messages`);
    log(
      `proxy: answered ${[...proxy.stats.answered].map(([origin, n]) => `${n} by ${origin}`).join(", ")}; ` +
        `${proxy.stats.failedOver} refused connections sent to the other instance; ${proxy.stats.badGateway} answered 502`,
    );
    subscription.close();
    sender.close();
    agent.destroy();
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
    log(`FAIL ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  await cleanUp.run();
  await sleep(0);
  log(
    failures.length
      ? `FAILED (${failures.length}): ${failures.join("; ")}`
      : `Two instances share everything that matters; nothing lost. ${((Date.now() - started) / 1000).toFixed(1)} s in all.`,
  );
  process.exit(failures.length ? 1 : 0);
}

await main();
