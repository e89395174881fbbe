// No loss under faults (issue 16, item 5): several clients send a burst of posts and chat messages
// through the production build while the app is killed (SIGKILL, no shutdown) and started again,
// and then while PostgreSQL is stopped the hard way (immediate shutdown: no checkpoint, crash
// recovery at the next start) and started again under the running app. Each client does what
// Hearth's own clients do: it names every post (clientRequestId) and message (clientMessageId) once
// and sends it again, under the same name, until it gets an answer. Afterwards the database must
// hold every post and every message exactly once, each acknowledged one with the id it was
// acknowledged with. Any loss, duplicate or error that is not a fault's makes it exit 1.
//
//   npx tsx bench/faults/crash.ts                 # full form: 500 messages and 200 posts per fault
//   npx tsx bench/faults/crash.ts --short         # CI's form (scripts/test.ts): 100 and 40
//   options: --messages N --posts N --clients 4 --port <free> --build --keep
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";
import { createChatHttp, type ChatHttp } from "../chat/chat-http";
import { createChatAccounts, type ChatAccount } from "../chat/delivery-accounts";
import { freePort } from "../chat/free-port";
import { ensureBuild, startAppServer, type AppServer } from "../lib/app-server";
import { CleanUp } from "../lib/clean-up";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const SHORT = flag("short");
const MESSAGES = option("messages", SHORT ? 100 : 500);
const POSTS = option("posts", SHORT ? 40 : 200);
const CLIENTS = option("clients", 4);
/** Requests each client keeps in flight. */
const IN_FLIGHT = 4;
const RETRY_MS = 250;
/** A request still unanswered this long after its first attempt fails the run (the app restarts in about 20 s). */
const GIVE_UP_MS = 180_000;
/** The fault strikes once this share of the burst has been acknowledged. */
const STRIKE_AT = 0.3;
/** The smallest padded envelope: 34 + 256 + 16 bytes (server/data/chat/envelopes.ts). */
const PAYLOAD_BYTES = 306;

const log = (line: string) => console.log(`[faults] ${line}`);

interface Operation {
  kind: "post" | "message";
  client: number;
  /** The name the client sends it under, every time. */
  requestId: string;
  /** What was stored: the post's text, or the envelope's payload. */
  content: string;
  acknowledgedAs: string | null;
  attempts: number;
}

interface Fault {
  name: string;
  strike(): Promise<void>;
}

async function main(): Promise<void> {
  const cleanUp = new CleanUp(log);
  await ensureBuild({ force: flag("build"), log });
  const dataDir = await mkdtemp(path.join(tmpdir(), "hearth-faults-"));
  if (!flag("keep")) cleanUp.push(() => rm(dataDir, { recursive: true, force: true }));
  let database: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_faults", port: await freePort() });
  cleanUp.push(() => database.stop());
  await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
  const port = option("port", 0) || (await freePort());
  // One recipient device for every message; the others are the clients that send.
  const [recipient, ...clients] = await createChatAccounts(database.url, CLIENTS + 1);

  // No calls here: naming a LiveKit server (never contacted) keeps scripts/start.ts from starting one beside each app.
  Object.assign(process.env, { LIVEKIT_URL: "ws://127.0.0.1:9", LIVEKIT_API_KEY: "faults-unused", LIVEKIT_API_SECRET: randomBytes(32).toString("hex") });
  let app: AppServer = await startAppServer({ databaseUrl: database.url, dataDir, port, log });
  cleanUp.push(() => app.stop());
  const http = createChatHttp(app.origin);
  cleanUp.push(async () => http.close());

  const faults: Fault[] = [
    {
      name: "the app killed (SIGKILL) and started again",
      async strike() {
        process.kill(-app.processGroup!, "SIGKILL");
        log("  app killed");
        app = await startAppServer({ databaseUrl: database.url, dataDir, port, log });
      },
    },
    {
      name: "PostgreSQL stopped the hard way (immediate shutdown) and started again under the running app",
      async strike() {
        const pid = Number((await readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);
        // SIGQUIT is PostgreSQL's immediate shutdown: every backend quits at once, no checkpoint.
        process.kill(pid, "SIGQUIT");
        await waitUntil(() => !isAlive(pid), 20_000);
        log("  PostgreSQL down");
        await sleep(1_000);
        database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_faults" });
        log("  PostgreSQL up again (crash recovery done)");
      },
    },
  ];

  let failed = false;
  for (const fault of faults) {
    const started = Date.now();
    const operations = burst(clients);
    const strike = async () => {
      await waitUntil(() => operations.filter((o) => o.acknowledgedAs).length >= operations.length * STRIKE_AT, 120_000);
      const before = operations.filter((o) => o.acknowledgedAs).length;
      log(`${fault.name}: striking after ${before} of ${operations.length} acknowledged`);
      await fault.strike();
    };
    await Promise.all([
      strike(),
      ...clients.map((client) =>
        runClient(
          http,
          client,
          operations.filter((o) => o.client === client.index),
          recipient!,
        ),
      ),
    ]);
    const report = await verify(database.url, operations, clients, recipient!);
    const retried = operations.filter((o) => o.attempts > 1).length;
    log(
      `${fault.name}: ${operations.length} sent (${MESSAGES} messages, ${POSTS} posts) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${retried} sent again after an error; stored exactly once: ${report.once}; lost: ${report.lost}; duplicated: ${report.duplicated}; ` +
        `acknowledged with another id: ${report.mismatched}`,
    );
    if (report.lost || report.duplicated || report.mismatched || report.once !== operations.length) failed = true;
    await clearBurst(database.url);
  }
  await cleanUp.run();
  log(failed ? "FAILED: something was lost or stored twice (see above)." : "Nothing lost, nothing stored twice.");
  process.exit(failed ? 1 : 0);
}

/** This fault's posts and messages, spread over the clients. */
function burst(clients: ChatAccount[]): Operation[] {
  const operations: Operation[] = [];
  const add = (kind: Operation["kind"], i: number, content: string) =>
    operations.push({ kind, client: clients[i % clients.length]!.index, requestId: randomUUID(), content, acknowledgedAs: null, attempts: 0 });
  for (let i = 0; i < POSTS; i++) add("post", i, `fault burst post ${i} ${randomUUID()}`);
  for (let i = 0; i < MESSAGES; i++) add("message", i, randomBytes(PAYLOAD_BYTES).toString("base64url"));
  // Posts and messages interleaved, as people would send them.
  return operations.sort(() => Math.random() - 0.5);
}

/** One client: IN_FLIGHT requests at a time, each sent again under its name until answered. */
async function runClient(http: ChatHttp, client: ChatAccount, operations: Operation[], recipient: ChatAccount): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < operations.length) {
      const operation = operations[next++]!;
      const first = Date.now();
      for (;;) {
        operation.attempts++;
        try {
          operation.acknowledgedAs = await send(http, client, operation, recipient);
          break;
        } catch (error) {
          // A fault's error (refused connection, reset, a 5xx while the database is down): send it again.
          if (Date.now() - first > GIVE_UP_MS) throw new Error(`gave up on ${operation.kind} ${operation.requestId}: ${(error as Error).message}`);
          await sleep(RETRY_MS);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function send(http: ChatHttp, client: ChatAccount, operation: Operation, recipient: ChatAccount): Promise<string> {
  if (operation.kind === "post") {
    const post = await http.mutate<{ id: string }>(client.token, "social.posts.create", { text: operation.content, clientRequestId: operation.requestId });
    return post.id;
  }
  await http.mutate(client.token, "chat.envelopes.send", {
    clientMessageId: operation.requestId,
    envelopes: [{ deviceRowId: recipient.deviceRowId, payload: operation.content }],
  });
  return operation.requestId;
}

/** What the database holds for the burst: each post and message exactly once, and as acknowledged. */
async function verify(databaseUrl: string, operations: Operation[], clients: ChatAccount[], recipient: ChatAccount) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const posts = await db.query<{ id: string; text: string }>("SELECT id, text FROM posts WHERE author_id = ANY($1::uuid[])", [clients.map((c) => c.userId)]);
    const envelopes = await db.query<{ payload: Buffer }>("SELECT payload FROM chat_envelopes WHERE recipient_device_id = $1", [recipient.deviceRowId]);
    const stored = new Map<string, string[]>();
    for (const row of posts.rows) stored.set(row.text, [...(stored.get(row.text) ?? []), row.id]);
    for (const row of envelopes.rows) {
      const key = row.payload.toString("base64url");
      stored.set(key, [...(stored.get(key) ?? []), key]);
    }
    let once = 0;
    let lost = 0;
    let duplicated = 0;
    let mismatched = 0;
    for (const operation of operations) {
      const ids = stored.get(operation.content) ?? [];
      if (ids.length === 0) lost++;
      else if (ids.length > 1) duplicated++;
      else once++;
      if (operation.kind === "post" && ids.length === 1 && operation.acknowledgedAs !== ids[0]) mismatched++;
    }
    return { once, lost, duplicated, mismatched };
  } finally {
    await db.end();
  }
}

/** Empties what a burst stored, so the next fault's counts start from nothing. */
async function clearBurst(databaseUrl: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("DELETE FROM chat_envelopes");
    await db.query("DELETE FROM posts");
  } finally {
    await db.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

await main();
