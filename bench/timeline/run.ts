// `npm run bench:timeline`: the home-timeline budget (p99 < 50 ms at 100 concurrent readers over
// 10k users and 1M posts, and < 3x the raw SQL floor), measured end to end:
//  1. a production build (built once if missing), an embedded PostgreSQL in a temporary folder
//     (or --reuse <dir>), seeded by the demo-world generator at scale, vacuumed and analysed;
//  2. sessions for a fixed sample of readers, written straight into `sessions`;
//  3. scripts/start.ts serving the app; N readers in a closed loop, each loading its first page
//     and then the next page through the cursor, for a warm-up and a measured window;
//  4. with the app stopped, the same pages of listHomeTimeline's candidate query in raw SQL
//     through `pg` (same readers, same concurrency, a pool of 20 connections): the floor;
//  5. a markdown table, with the CPU each request cost the app and PostgreSQL.
// Options: --reuse <dir> --keep --build --readers 100 --duration 30 --warmup 5 --think <ms>
//   --users 10000 --posts 1000000 --follows 150 --likes 1 --reposts 0.1 --seed 1
//   --port 3400 --db-port 3401 --pool 20 --explain --out <file.md>
import { writeFile } from "node:fs/promises";
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureBuild, startAppServer, type AppServer } from "../lib/app-server";
import { prepareBenchDatabase, type BenchDatabase } from "./bench-database";
import { createReaders, deleteReaderSessions, type Reader } from "./bench-readers";
import { closedLoop, summarize, type LoopResult, type Recorder, type Summary } from "./closed-loop";
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from "./cpu-time";
import { FIRST_PAGE, HOME_TIMELINE_CANDIDATES_SQL, candidateParams, nextPosition, queryCandidates, type Position } from "./home-timeline-sql";
import { createTimelineClient } from "./timeline-client";

const { values: args } = parseArgs({
  options: {
    reuse: { type: "string" },
    keep: { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    readers: { type: "string", default: "100" },
    duration: { type: "string", default: "30" },
    warmup: { type: "string", default: "5" },
    think: { type: "string", default: "0" },
    users: { type: "string", default: "10000" },
    posts: { type: "string", default: "1000000" },
    follows: { type: "string", default: "150" },
    likes: { type: "string", default: "1" },
    reposts: { type: "string", default: "0.1" },
    seed: { type: "string", default: "1" },
    port: { type: "string", default: "3400" },
    "db-port": { type: "string", default: "3401" },
    pool: { type: "string", default: "20" },
    explain: { type: "boolean", default: false },
    out: { type: "string" },
  },
});

const num = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};

const log = (line: string) => console.log(`[bench] ${line}`);
const BUDGET_P99_MS = 50;
const BUDGET_RATIO = 3;
const SINGLE_READER_MS = 10_000;
const DRAIN_MAX_MS = 120_000;
const DRAIN_PROMPT_MS = 1_000;

interface Phase {
  loop: LoopResult;
  cpu: CpuSnapshot;
}

interface Row {
  label: string;
  readers: number;
  summary: Summary;
  errors: number;
  cpu: CpuSnapshot | null;
}

function row(label: string, readers: number, phase: Phase, latencies = phase.loop.latencies, withCpu = true): Row {
  return { label, readers, summary: summarize(latencies, phase.loop.seconds), errors: phase.loop.errors, cpu: withCpu ? phase.cpu : null };
}

const ms = (value: number) => (Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(2) : value.toFixed(1));

function table(rows: Row[]): string {
  const lines = [
    "| measure | concurrent readers | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | CPU ms per request: app / PostgreSQL |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const s = r.summary;
    const perRequest = (cpuMs: number) => (s.count ? (cpuMs / s.count).toFixed(1) : "–");
    const cpu = r.cpu ? `${r.cpu.appMs > 0 ? perRequest(r.cpu.appMs) : "–"} / ${perRequest(r.cpu.databaseMs)}` : "";
    if (s.count === 0) {
      lines.push(`| ${r.label} | ${r.readers} | 0 | 0 | – | – | – | – | ${r.errors} | – |`);
      continue;
    }
    lines.push(
      `| ${r.label} | ${r.readers} | ${s.count.toLocaleString("en")} | ${s.perSecond.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${r.errors} | ${cpu} |`,
    );
  }
  return lines.join("\n");
}

async function measured(
  dataDir: string,
  appProcessGroup: number | null,
  run: (onWindow: (edge: "start" | "end") => void) => Promise<LoopResult>,
): Promise<Phase> {
  let start: CpuSnapshot | null = null;
  let end: CpuSnapshot | null = null;
  const loop = await run((edge) => {
    if (edge === "start") start = cpuSnapshot({ appProcessGroup, dataDir });
    else end = cpuSnapshot({ appProcessGroup, dataDir });
  });
  end ??= cpuSnapshot({ appProcessGroup, dataDir });
  return { loop, cpu: cpuBetween(start ?? end, end) };
}

function httpPhase(
  server: AppServer,
  dataDir: string,
  readers: Reader[],
  workers: number,
  warmupMs: number,
  durationMs: number,
  thinkMs: number,
): Promise<Phase> {
  const client = createTimelineClient(server.origin, workers);
  return measured(dataDir, server.processGroup, (onWindow) =>
    closedLoop({
      workers,
      warmupMs,
      durationMs,
      thinkMs,
      onWindow,
      visit: async (index, recorder) => {
        const reader = readers[index % readers.length]!;
        const first = await recorder.time(() => client.home(reader.token, null));
        if (first.nextCursor) await recorder.time(() => client.home(reader.token, first.nextCursor));
      },
    }),
  ).finally(() => client.close());
}

function sqlPhase(pool: pg.Pool, dataDir: string, readers: Reader[], workers: number, warmupMs: number, durationMs: number, thinkMs: number): Promise<Phase> {
  const page = (viewerId: string, position: Position, recorder: Recorder) =>
    recorder.time(async () => {
      const client = await pool.connect();
      const onConnection = performance.now();
      try {
        return await queryCandidates(client, viewerId, position);
      } finally {
        recorder.extra(performance.now() - onConnection);
        client.release();
      }
    });
  return measured(dataDir, null, (onWindow) =>
    closedLoop({
      workers,
      warmupMs,
      durationMs,
      thinkMs,
      onWindow,
      visit: async (index, recorder) => {
        const reader = readers[index % readers.length]!;
        const first = await page(reader.userId, FIRST_PAGE, recorder);
        const next = nextPosition(first);
        if (next) await page(reader.userId, next, recorder);
      },
    }),
  );
}

/** The first HTTP page and the first SQL page must list the same entries (the floor is the same page). */
async function checkSamePage(server: AppServer, pool: pg.Pool, reader: Reader): Promise<string> {
  const client = createTimelineClient(server.origin, 1);
  try {
    const { body } = await client.home(reader.token, null);
    const parsed = JSON.parse(body) as { result: { data: { json: { entries: { key: string }[] } } } };
    const httpKeys = parsed.result.data.json.entries.map((e) => e.key);
    const sqlKeys = (await queryCandidates(pool, reader.userId, FIRST_PAGE)).slice(0, 20).map((r) => `${r.post_id}:${r.reposter_id ?? ""}`);
    if (httpKeys.length === 0) throw new Error(`@${reader.handle}'s home timeline came back empty: is the build current? (try --build)`);
    const same = httpKeys.length === sqlKeys.length && httpKeys.every((key, i) => key === sqlKeys[i]);
    return same
      ? `First page of @${reader.handle}: HTTP and SQL list the same ${httpKeys.length} entries.`
      : `Warning: the first page of @${reader.handle} differs between HTTP (${httpKeys.length} entries) and SQL (${sqlKeys.length}): is home-timeline-sql.ts in step with timelines.ts?`;
  } finally {
    client.close();
  }
}

/** After an overload, requests given up by the client still run; wait until one answers promptly. */
async function drain(server: AppServer, reader: Reader): Promise<void> {
  const client = createTimelineClient(server.origin, 1);
  const deadline = performance.now() + DRAIN_MAX_MS;
  try {
    while (performance.now() < deadline) {
      const started = performance.now();
      const answered = await client.home(reader.token, null).then(
        () => true,
        () => false,
      );
      if (answered && performance.now() - started < DRAIN_PROMPT_MS) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    log("The server did not drain within 2 minutes; measuring anyway.");
  } finally {
    client.close();
  }
}

async function explain(pool: pg.Pool, readers: Reader[]): Promise<string> {
  const busiest = readers.reduce((a, b) => (b.followees > a.followees ? b : a));
  const sorted = [...readers].sort((a, b) => a.followees - b.followees);
  const typical = sorted[sorted.length >> 1]!;
  const parts: string[] = [];
  for (const [what, reader] of [
    ["median reader", typical],
    ["busiest reader", busiest],
  ] as const) {
    const { rows } = await pool.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${HOME_TIMELINE_CANDIDATES_SQL}`,
      candidateParams(reader.userId, FIRST_PAGE),
    );
    parts.push(`-- ${what} @${reader.handle}, follows ${reader.followees}, first page\n${rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
  }
  return parts.join("\n\n");
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

async function main(): Promise<void> {
  const readerCount = num("readers");
  const durationMs = num("duration") * 1000;
  const warmupMs = num("warmup") * 1000;
  const thinkMs = num("think");
  const stack: (() => Promise<void>)[] = [];
  let stopping = false;
  const cleanUp = async () => {
    while (stack.length) await stack.pop()!().catch((error: unknown) => log(`cleanup: ${(error as Error).message}`));
  };
  process.once("SIGINT", () => {
    stopping = true;
    log("Interrupted: cleaning up…");
    void cleanUp().then(() => process.exit(130));
  });

  try {
    await ensureBuild({ force: args.build, log });
    const database: BenchDatabase = await prepareBenchDatabase({
      reuseDir: args.reuse ?? null,
      keep: args.keep,
      port: num("db-port"),
      scale: {
        people: num("users"),
        posts: num("posts"),
        followsPerPerson: num("follows"),
        likesPerPost: num("likes"),
        repostsPerPost: num("reposts"),
        seed: num("seed"),
      },
      log,
    });
    stack.push(() => database.stop());
    if (stopping) return;

    const pool = new pg.Pool({ connectionString: database.url, max: num("pool") });
    stack.push(() => pool.end());
    const { rows: facts } = await pool.query<{ users: number; posts: number; follows: number; reposts: number; likes: number; version: string }>(
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM posts)::int AS posts, (SELECT count(*) FROM follows)::int AS follows,
              (SELECT count(*) FROM reposts)::int AS reposts, (SELECT count(*) FROM likes)::int AS likes, current_setting('server_version') AS version`,
    );
    const readers = await createReaders(database.url, readerCount);
    stack.push(() => deleteReaderSessions(database.url));
    const meanFollowees = readers.reduce((sum, r) => sum + r.followees, 0) / readers.length;
    log(
      `${readers.length} readers signed in; they follow ${meanFollowees.toFixed(0)} people on average (max ${Math.max(...readers.map((r) => r.followees))}).`,
    );

    const server = await startAppServer({ databaseUrl: database.url, dataDir: database.dataDir, port: num("port"), log });
    let serverStopped = false;
    const stopServer = async () => {
      if (!serverStopped) await server.stop();
      serverStopped = true;
    };
    stack.push(stopServer);
    const samePage = await checkSamePage(server, pool, readers[0]!);
    log(samePage);

    const loadBefore = loadAverage();
    const paced = thinkMs > 0 ? `, pausing ~${thinkMs} ms between visits` : "";
    log(`HTTP: ${readers.length} readers${paced}, ${warmupMs / 1000} s warm-up + ${durationMs / 1000} s…`);
    const httpMany = await httpPhase(server, database.dataDir, readers, readers.length, warmupMs, durationMs, thinkMs);
    if (httpMany.loop.firstError) log(`first HTTP error (warm-up included): ${httpMany.loop.firstError}`);
    log("HTTP: waiting for the server to drain, then 1 reader…");
    await drain(server, readers[0]!);
    const httpOne = await httpPhase(server, database.dataDir, readers, 1, 2_000, SINGLE_READER_MS, 0);
    await stopServer();

    log(`SQL: ${readers.length} clients on a pool of ${num("pool")}${paced}, ${warmupMs / 1000} s warm-up + ${durationMs / 1000} s…`);
    const sqlMany = await sqlPhase(pool, database.dataDir, readers, readers.length, warmupMs, durationMs, thinkMs);
    log("SQL: 1 client…");
    const sqlOne = await sqlPhase(pool, database.dataDir, readers, 1, 2_000, SINGLE_READER_MS, 0);
    const loadAfter = loadAverage();
    const plans = args.explain ? await explain(pool, readers) : null;

    const rows: Row[] = [
      row("HTTP `social.timeline.home` (first + next page)", readers.length, httpMany),
      row(`SQL candidate query, as the client waits (pool of ${num("pool")})`, readers.length, sqlMany),
      row("SQL candidate query, time on a connection", readers.length, sqlMany, sqlMany.loop.extra, false),
      row("HTTP `social.timeline.home`, one reader at a time", 1, httpOne),
      row("SQL candidate query, one at a time", 1, sqlOne),
    ];
    const httpP99 = rows[0]!.summary.p99;
    const sqlP99 = rows[1]!.summary.p99;
    const ratio = httpP99 / sqlP99;
    const cpuPerRequest = (httpMany.cpu.appMs + httpMany.cpu.databaseMs) / rows[0]!.summary.count;
    const fact = facts[0]!;
    const report = [
      `### Home timeline, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
      "",
      `Data: ${fact.users.toLocaleString("en")} users, ${fact.posts.toLocaleString("en")} posts, ${fact.follows.toLocaleString("en")} follows, ` +
        `${fact.reposts.toLocaleString("en")} reposts, ${fact.likes.toLocaleString("en")} likes; ${readers.length} ${readers.length === 1 ? "reader" : "readers"} following ${meanFollowees.toFixed(0)} accounts on average ` +
        `(at most ${Math.max(...readers.map((r) => r.followees))}). PostgreSQL ${fact.version} (embedded, default settings), Node ${process.version}, ${os.cpus().length} cores ` +
        `shared with the load generator. ${thinkMs > 0 ? `Each reader pauses ${thinkMs / 2}–${(thinkMs * 3) / 2} ms between visits. ` : "Closed loop: no pause between visits. "}` +
        `Measured for ${durationMs / 1000} s after ${warmupMs / 1000} s of warm-up; the one-reader rows for ${SINGLE_READER_MS / 1000} s. ` +
        `Load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after.` +
        (database.seeded ? ` Seeding took ${database.seeded.seconds.toFixed(0)} s, VACUUM (ANALYZE) ${database.seeded.vacuumSeconds.toFixed(0)} s.` : ""),
      "",
      table(rows),
      "",
      `- HTTP p99 ${ms(httpP99)} ms against a budget of ${BUDGET_P99_MS} ms: ${httpP99 < BUDGET_P99_MS ? "**met**" : "**missed**"}.`,
      Number.isFinite(ratio)
        ? `- HTTP p99 / SQL p99 = ${ratio.toFixed(1)}x against a budget of ${BUDGET_RATIO}x: ${ratio < BUDGET_RATIO ? "**met**" : "**missed**"}.`
        : `- HTTP p99 / SQL p99: not measurable (no HTTP request completed); budget ${BUDGET_RATIO}x **missed**.`,
      rows[0]!.summary.count
        ? `- CPU per HTTP request ${cpuPerRequest.toFixed(1)} ms (app + PostgreSQL): at most about ${Math.floor((os.cpus().length * 1000) / cpuPerRequest)} requests/s on ${os.cpus().length} idle cores.`
        : "- No HTTP request completed within the window (each request gives up after 10 s).",
      `- ${samePage}`,
    ].join("\n");
    console.log(`\n${report}\n`);
    if (plans) console.log(`\n${plans}\n`);
    if (args.out) await writeFile(args.out, `${report}\n${plans ? `\n\`\`\`\n${plans}\n\`\`\`\n` : ""}`);
  } finally {
    if (!stopping) await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(`[bench] ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
