// No loss under faults (issue 16, item 5): several clients send a burst of posts and chat messages
// through the production build while the app is killed (SIGKILL, no shutdown) and started again,
// and then while PostgreSQL is stopped the hard way (immediate shutdown: no checkpoint, crash
// recovery at the next start) and started again under the running app, and a third time while two
// clients send too slowly (slow-clients.ts: each must be answered 408 and cut off in time, with
// the production deadlines). Each client does what Hearth's own clients do: it names every post
// (clientRequestId) and message (clientMessageId) once and sends it again, under the same name,
// until it gets an answer. Afterwards the database must hold every post and every message exactly
// once, each acknowledged one with the id it was acknowledged with (no-loss.ts). Any loss,
// duplicate or error that is not a fault's makes it exit 1.
//
//   npx tsx bench/faults/crash.ts                 # full form: 500 messages and 200 posts per fault
//   npx tsx bench/faults/crash.ts --short         # CI's form (scripts/test.ts): 100 and 40
//   options: --messages N --posts N --clients 4 --port <free> --build --keep
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";
import { createChatHttp } from "../chat/chat-http";
import { createChatAccounts } from "../chat/delivery-accounts";
import { freePort } from "../../scripts/free-port";
import { ensureBuild, startAppServer, type AppServer } from "../lib/app-server";
import { CleanUp } from "../lib/clean-up";
import { burst, clearBurst, faultTestOptions, lossFree, runClients, sleep, verify, waitUntil } from "./no-loss";
import { slowClientsAreCutOff } from "./slow-clients";

const OPTIONS = faultTestOptions();
const { messages: MESSAGES, posts: POSTS, clients: CLIENTS } = OPTIONS;
/** The fault strikes once this share of the burst has been acknowledged. */
const STRIKE_AT = 0.3;

const log = (line: string) => console.log(`[faults] ${line}`);

interface Fault {
  name: string;
  strike(): Promise<void>;
}

async function main(): Promise<void> {
  const cleanUp = new CleanUp(log);
  await ensureBuild({ force: OPTIONS.build, log });
  const dataDir = await mkdtemp(path.join(tmpdir(), "hearth-faults-"));
  if (!OPTIONS.keep) cleanUp.push(() => rm(dataDir, { recursive: true, force: true }));
  let database: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_faults", port: await freePort() });
  cleanUp.push(() => database.stop());
  await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
  const port = OPTIONS.port || (await freePort());
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
    {
      name: "two clients sending too slowly (headers a byte a second, a body that stops) during the burst",
      async strike() {
        const problems = await slowClientsAreCutOff(app.origin, log);
        for (const problem of problems) log(`  FAILED: ${problem}`);
        if (problems.length) failed = true;
      },
    },
  ];

  let failed = false;
  for (const fault of faults) {
    const started = Date.now();
    const operations = burst(clients, { posts: POSTS, messages: MESSAGES });
    const strike = async () => {
      await waitUntil(() => operations.filter((o) => o.acknowledgedAs).length >= operations.length * STRIKE_AT, 120_000);
      const before = operations.filter((o) => o.acknowledgedAs).length;
      log(`${fault.name}: striking after ${before} of ${operations.length} acknowledged`);
      await fault.strike();
    };
    await Promise.all([strike(), runClients(http, clients, operations, recipient!)]);
    const report = await verify(database.url, operations, clients, recipient!);
    const retried = operations.filter((o) => o.attempts > 1).length;
    log(
      `${fault.name}: ${operations.length} sent (${MESSAGES} messages, ${POSTS} posts) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${retried} sent again after an error; stored exactly once: ${report.once}; lost: ${report.lost}; duplicated: ${report.duplicated}; ` +
        `acknowledged with another id: ${report.mismatched}`,
    );
    if (!lossFree(report, operations)) failed = true;
    await clearBurst(database.url);
  }
  await cleanUp.run();
  log(failed ? "FAILED: something was lost or stored twice (see above)." : "Nothing lost, nothing stored twice.");
  process.exit(failed ? 1 : 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

await main();
