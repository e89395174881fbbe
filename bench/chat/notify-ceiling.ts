// How many wake-ups PostgreSQL's NOTIFY carries on this machine, for docs/scaling.md: writers
// insert one envelope-sized row per transaction, as a 1:1 send does, with and without a
// pg_notify in the same statement, while 1 or 10 connections LISTEN (one per app instance). A
// transaction that has notified takes a lock on the whole notification queue when it commits, so
// notifying commits go one at a time however many cores there are; this measures where that bites.
//
//   npx tsx bench/chat/notify-ceiling.ts [--seconds 5] [--writers 8]
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../server/data/embedded/start-embedded-postgres";
import { freePort } from "../../scripts/free-port";

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const SECONDS = option("seconds", 5);
const WRITERS = option("writers", 8);
const PAYLOAD = randomBytes(306);

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function phase(url: string, options: { notify: boolean; listeners: number }): Promise<{ perSecond: number; received: number }> {
  const listeners = await Promise.all(Array.from({ length: options.listeners }, () => connect(url)));
  let received = 0;
  for (const listener of listeners) {
    listener.on("notification", () => received++);
    await listener.query("LISTEN bench_wakeups");
  }
  const writers = await Promise.all(Array.from({ length: WRITERS }, () => connect(url)));
  const statement = options.notify
    ? "WITH inserted AS (INSERT INTO bench_envelopes (recipient, payload) VALUES ($1, $2) RETURNING recipient) SELECT pg_notify('bench_wakeups', recipient::text) FROM inserted"
    : "INSERT INTO bench_envelopes (recipient, payload) VALUES ($1, $2)";
  let commits = 0;
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    writers.map(async (writer) => {
      while (Date.now() < deadline) {
        await writer.query(statement, [randomUUID(), PAYLOAD]);
        commits++;
      }
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  await Promise.all([...writers, ...listeners].map((client) => client.end()));
  return { perSecond: commits / SECONDS, received };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "hearth-notify-ceiling-"));
  const database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_notify", port: await freePort() });
  try {
    const setup = await connect(database.url);
    await setup.query("CREATE TABLE bench_envelopes (id bigserial PRIMARY KEY, recipient uuid NOT NULL, payload bytea NOT NULL)");
    await setup.end();
    console.log(`${WRITERS} writers, ${SECONDS} s per phase, one ${PAYLOAD.length}-byte row per transaction (autocommit)`);
    console.log("| phase | commits/s | notifications received (all listeners) |\n|---|---:|---:|");
    for (const [notify, listeners] of [
      [false, 0],
      [true, 1],
      [true, 10],
    ] as const) {
      const result = await phase(database.url, { notify, listeners });
      console.log(`| ${notify ? `insert + NOTIFY, ${listeners} listening` : "insert only"} | ${Math.round(result.perSecond)} | ${result.received} |`);
    }
  } finally {
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
