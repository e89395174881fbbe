// `npm run bench:timeline`: the home timeline's throughput at a latency target (issue 15: at least
// 300 pages/s at p99 <= 50 ms over 10k users and 1M posts, and a request's CPU within 2x the raw
// SQL floor's), measured open-loop:
//  1. a production build (built once if missing), an embedded PostgreSQL in a temporary folder
//     (or --reuse <dir>), seeded by the demo-world generator at scale, vacuumed and analysed;
//  2. sessions for a fixed sample of readers, written straight into `sessions`;
//  3. scripts/start.ts serving the app; pages of `social.timeline.home` arrive at a fixed rate,
//     independent of the answers (open-loop), spread over the readers in turn; each reader loads
//     its first page, then the next page through the cursor its first page returned, and again.
//     The rate steps up (25, 50, 100, … pages/s) until p99 passes the target;
//  4. with the app stopped, the same steps for the raw-SQL floor: the statements of the same page
//     (home-timeline-sql.ts) through `pg` on a pool of 20 connections;
//  5. a markdown table per side: p50/p99, errors, and the CPU each page cost the app and PostgreSQL.
// Before measuring, every reader's first page over HTTP is compared with the floor's, and a digest
// of all first pages (entries and their views) is printed, to prove a change left results alone.
// Options: --reuse <dir> --keep --build --readers 100 --rates 25,50,100,… --step 15 --warmup 3
//   --target-p99 50 --no-floor --no-http --app-dir <checkout> --label <text>
//   --users 10000 --posts 1000000 --follows 150 --likes 1 --reposts 0.1 --seed 1
//   --port 3425 --db-port 3426 --pool 20 --floor-read feed|fan-in --explain --out <file.md>
import { createHash } from "node:crypto";
import { appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureBuild, startAppServer, type AppServer } from "../lib/app-server";
import { summarize, type Summary } from "../lib/latency-summary";
import { prepareBenchDatabase, type BenchDatabase } from "./bench-database";
import { createReaders, deleteReaderSessions, type Reader } from "./bench-readers";
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from "./cpu-time";
import { FIRST_PAGE, HOME_TIMELINE_CANDIDATES_SQL, candidateParams, floorPage, nextPosition, queryCandidates, type Position } from "./home-timeline-sql";
import { openLoop, type OpenLoopResult } from "./open-loop";
import { createTimelineClient } from "./timeline-client";

const DEFAULT_RATES = "25,50,100,150,200,250,300,350,400,450,500,600,700,800";

const { values: args } = parseArgs({
  options: {
    reuse: { type: "string" },
    keep: { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    readers: { type: "string", default: "100" },
    rates: { type: "string", default: DEFAULT_RATES },
    step: { type: "string", default: "15" },
    warmup: { type: "string", default: "3" },
    "target-p99": { type: "string", default: "50" },
    "no-floor": { type: "boolean", default: false },
    "no-http": { type: "boolean", default: false },
    "app-dir": { type: "string" },
    label: { type: "string" },
    users: { type: "string", default: "10000" },
    posts: { type: "string", default: "1000000" },
    follows: { type: "string", default: "150" },
    likes: { type: "string", default: "1" },
    reposts: { type: "string", default: "0.1" },
    seed: { type: "string", default: "1" },
    port: { type: "string", default: "3425" },
    "db-port": { type: "string", default: "3426" },
    pool: { type: "string", default: "20" },
    /** The floor's way to a page's entries: the fanned-out feed (as the app now reads) or the fan-in merge (as before). */
    "floor-read": { type: "string", default: "feed" },
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
const TARGET_PAGES_PER_SECOND = 300;
const TARGET_CPU_RATIO = 2;
const DRAIN_MAX_MS = 120_000;
const DRAIN_PROMPT_MS = 200;
/** Open connections the HTTP client may hold: enough that arrivals never wait for a socket. */
const MAX_SOCKETS = 2_000;

const loadAverage = () => os.loadavg()[0]!.toFixed(1);

interface Step {
  rate: number;
  result: OpenLoopResult;
  summary: Summary;
  cpu: CpuSnapshot;
  /** The 1-minute load average when the step began and when it ended. */
  load: [string, string];
}

/** Where a reader is: its next page is the one after its last first page, then back to the top. */
class ReaderTurns<C> {
  private readonly cursors: (C | null)[];
  constructor(private readonly readers: Reader[]) {
    this.cursors = readers.map(() => null);
  }
  /** The reader of arrival `index` and the page it loads (null: its first page). */
  turn(index: number): { slot: number; reader: Reader; cursor: C | null } {
    const slot = index % this.readers.length;
    const cursor = this.cursors[slot]!;
    // The next arrival of this reader starts over at the top unless this first page sets a cursor.
    this.cursors[slot] = null;
    return { slot, reader: this.readers[slot]!, cursor };
  }
  /** After a first page: the reader's next arrival loads the page after it. */
  afterFirstPage(slot: number, cursor: C | null): void {
    this.cursors[slot] = cursor;
  }
}

async function step(
  rate: number,
  appProcessGroup: number | null,
  dataDir: string,
  warmupMs: number,
  durationMs: number,
  request: (index: number) => Promise<void>,
): Promise<Step> {
  let start: CpuSnapshot | null = null;
  let end: CpuSnapshot | null = null;
  const loadBefore = loadAverage();
  const result = await openLoop({
    rate,
    warmupMs,
    durationMs,
    request,
    onWindow: (edge) => {
      if (edge === "start") start = cpuSnapshot({ appProcessGroup, dataDir });
      else end = cpuSnapshot({ appProcessGroup, dataDir });
    },
  });
  const last = end ?? cpuSnapshot({ appProcessGroup, dataDir });
  return { rate, result, summary: summarize(result.latencies, result.seconds), cpu: cpuBetween(start ?? last, last), load: [loadBefore, loadAverage()] };
}

const ms = (value: number) => (Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(2) : value.toFixed(1));

function table(steps: Step[], withApp: boolean): string {
  const lines = [
    `| offered pages/s | answered pages/s | p50 ms | p90 ms | p99 ms | max ms | errors | CPU ms per page: ${withApp ? "app / PostgreSQL / both" : "PostgreSQL / pg client"} | load avg (1 min) before → after |`,
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const s of steps) {
    const n = s.summary.count;
    const per = (cpuMs: number) => (n ? (cpuMs / n).toFixed(2) : "–");
    const cpu = withApp
      ? `${per(s.cpu.appMs)} / ${per(s.cpu.databaseMs)} / ${per(s.cpu.appMs + s.cpu.databaseMs)}`
      : `${per(s.cpu.databaseMs)} / ${per(s.cpu.benchMs)}`;
    lines.push(
      `| ${s.rate} | ${s.summary.perSecond.toFixed(0)} | ${ms(s.summary.p50)} | ${ms(s.summary.p90)} | ${ms(s.summary.p99)} | ${ms(s.summary.max)} | ${s.result.errors} | ${cpu} | ${s.load[0]} → ${s.load[1]} |`,
    );
  }
  return lines.join("\n");
}

const IDLE_MS = 10_000;

/** CPU per second the app and PostgreSQL spend with no requests (sweepers, timers), to read the per-page figures against. */
async function idleCpu(appProcessGroup: number | null, dataDir: string): Promise<CpuSnapshot> {
  const before = cpuSnapshot({ appProcessGroup, dataDir });
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const used = cpuBetween(before, cpuSnapshot({ appProcessGroup, dataDir }));
  return { appMs: used.appMs / (IDLE_MS / 1000), databaseMs: used.databaseMs / (IDLE_MS / 1000), benchMs: 0 };
}

/** Steps up the offered rate until p99 passes the target (or a step has errors). */
async function stepUp(rates: number[], targetMs: number, label: string, run: (rate: number) => Promise<Step>, between: () => Promise<void>): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of rates) {
    const s = await run(rate);
    steps.push(s);
    log(
      `${label} ${rate}/s: p50 ${ms(s.summary.p50)} ms, p99 ${ms(s.summary.p99)} ms, ${s.result.errors} errors, ` +
        `CPU/page ${(s.cpu.appMs / Math.max(1, s.summary.count)).toFixed(2)} app + ${(s.cpu.databaseMs / Math.max(1, s.summary.count)).toFixed(2)} PostgreSQL ms, ` +
        `send lag ≤ ${s.result.maxSendLagMs.toFixed(0)} ms, load ${s.load.join(" → ")}` +
        (s.result.firstError ? `; first error: ${s.result.firstError}` : ""),
    );
    if (!(s.summary.p99 <= targetMs) || s.result.errors > 0) break;
    await between();
  }
  return steps;
}

/** The highest offered rate whose p99 met the target without errors. */
function bestRate(steps: Step[], targetMs: number): Step | null {
  return steps.filter((s) => s.summary.p99 <= targetMs && s.result.errors === 0).at(-1) ?? null;
}

interface HomeBody {
  result: { data: { entries: { key: string }[] } };
}

/** Every reader's first page over HTTP against the floor's; and a digest of all first pages' views. */
async function checkFirstPages(server: AppServer, pool: pg.Pool, readers: Reader[]): Promise<{ line: string; digest: string }> {
  const client = createTimelineClient(server.origin, 4);
  const hash = createHash("sha256");
  const differing: string[] = [];
  let entries = 0;
  try {
    for (const reader of readers) {
      const { body } = await client.home(reader.token, null);
      const parsed = JSON.parse(body) as HomeBody;
      const httpKeys = parsed.result.data.entries.map((e) => e.key);
      const sqlKeys = (await queryCandidates(pool, reader.userId, FIRST_PAGE)).slice(0, 20).map((r) => `${r.post_id}:${r.reposter_id ?? ""}`);
      if (httpKeys.length === 0) throw new Error(`@${reader.handle}'s home timeline came back empty: is the build current? (try --build)`);
      if (httpKeys.length !== sqlKeys.length || httpKeys.some((key, i) => key !== sqlKeys[i])) differing.push(`@${reader.handle}`);
      entries += httpKeys.length;
      hash.update(canonical(parsed.result.data));
    }
  } finally {
    client.close();
  }
  const digest = hash.digest("hex").slice(0, 16);
  return {
    digest,
    line: differing.length
      ? `Warning: first pages differ between HTTP and the SQL floor for ${differing.length} of ${readers.length} readers (${differing.slice(0, 5).join(", ")}): is home-timeline-sql.ts in step with timelines.ts?`
      : `First pages of all ${readers.length} readers (${entries} entries): HTTP and the SQL floor list the same entries; digest of the HTTP pages (entries and views) ${digest}.`,
  };
}

/** JSON with sorted keys, without the values that depend on the clock (the edit window). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, inner: unknown) => {
    if (key === "canEdit") return undefined;
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return inner;
  });
}

/** After an overloaded step, requests still queue in the server; wait until one answers promptly. */
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

async function main(): Promise<void> {
  const readerCount = num("readers");
  const rates = String(args.rates)
    .split(",")
    .map(Number)
    .filter((r) => r > 0);
  const durationMs = num("step") * 1000;
  const warmupMs = num("warmup") * 1000;
  const targetMs = num("target-p99");
  const appDir = path.resolve(args["app-dir"] ?? process.cwd());
  const label = args.label ?? path.basename(appDir);
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
    if (!args["no-http"]) await ensureBuild({ force: args.build, log, dir: appDir });
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

    let httpSteps: Step[] = [];
    let idle: CpuSnapshot | null = null;
    let firstPages: { line: string; digest: string } | null = null;
    if (!args["no-http"]) {
      const server = await startAppServer({ databaseUrl: database.url, dataDir: database.dataDir, port: num("port"), log, dir: appDir });
      let serverStopped = false;
      const stopServer = async () => {
        if (!serverStopped) await server.stop();
        serverStopped = true;
      };
      stack.push(stopServer);
      firstPages = await checkFirstPages(server, pool, readers);
      log(firstPages.line);
      idle = await idleCpu(server.processGroup, database.dataDir);
      log(`Idle (no requests, ${IDLE_MS / 1000} s): app ${idle.appMs.toFixed(1)} ms/s, PostgreSQL ${idle.databaseMs.toFixed(1)} ms/s of CPU.`);
      const client = createTimelineClient(server.origin, MAX_SOCKETS);
      stack.push(async () => client.close());
      const turns = new ReaderTurns<string>(readers);
      const request = async (index: number) => {
        const { slot, reader, cursor } = turns.turn(index);
        const page = await client.home(reader.token, cursor);
        if (cursor === null) turns.afterFirstPage(slot, page.nextCursor);
      };
      httpSteps = await stepUp(
        rates,
        targetMs,
        `HTTP (${label})`,
        (rate) => step(rate, server.processGroup, database.dataDir, warmupMs, durationMs, request),
        () => drain(server, readers[0]!),
      );
      await stopServer();
    }

    let floorSteps: Step[] = [];
    if (!args["no-floor"]) {
      const turns = new ReaderTurns<Position>(readers);
      const request = async (index: number) => {
        const { slot, reader, cursor } = turns.turn(index);
        const client = await pool.connect();
        try {
          const rows = await floorPage(client, reader.userId, cursor ?? FIRST_PAGE, args["floor-read"] === "fan-in" ? "fan-in" : "feed");
          if (cursor === null) turns.afterFirstPage(slot, nextPosition(rows));
        } finally {
          client.release();
        }
      };
      floorSteps = await stepUp(
        rates,
        targetMs,
        `SQL floor (${args["floor-read"]})`,
        (rate) => step(rate, null, database.dataDir, warmupMs, durationMs, request),
        () => new Promise((resolve) => setTimeout(resolve, 1_000)),
      );
    }
    const plans = args.explain ? await explain(pool, readers) : null;

    const fact = facts[0]!;
    const httpBest = bestRate(httpSteps, targetMs);
    const floorBest = bestRate(floorSteps, targetMs);
    const cpuOf = (s: Step | null, withApp: boolean) => (s && s.summary.count ? ((withApp ? s.cpu.appMs : 0) + s.cpu.databaseMs) / s.summary.count : NaN);
    // CPU per page is compared at the same offered rate, the highest both sides met.
    const common = httpBest && floorBest ? Math.min(httpBest.rate, floorBest.rate) : null;
    const httpCpu = cpuOf(httpSteps.find((s) => s.rate === common) ?? null, true);
    const floorCpu = cpuOf(floorSteps.find((s) => s.rate === common) ?? null, false);
    const report = [
      `### Home timeline, open loop, ${label}, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
      "",
      `Data: ${fact.users.toLocaleString("en")} users, ${fact.posts.toLocaleString("en")} posts, ${fact.follows.toLocaleString("en")} follows, ` +
        `${fact.reposts.toLocaleString("en")} reposts, ${fact.likes.toLocaleString("en")} likes; ${readers.length} readers following ${meanFollowees.toFixed(0)} accounts on average ` +
        `(at most ${Math.max(...readers.map((r) => r.followees))}). PostgreSQL ${fact.version} (embedded, default settings), Node ${process.version}, ${os.cpus().length} cores ` +
        `shared with the load generator. Pages arrive evenly spaced at the offered rate, round-robin over the readers (each loads its first page, then the next one); ` +
        `each step runs ${warmupMs / 1000} s of warm-up and ${durationMs / 1000} s measured; latency counts from when a page was due.` +
        (database.seeded ? ` Seeding took ${database.seeded.seconds.toFixed(0)} s, VACUUM (ANALYZE) ${database.seeded.vacuumSeconds.toFixed(0)} s.` : ""),
      "",
      ...(httpSteps.length ? ["HTTP `social.timeline.home`:", "", table(httpSteps, true), ""] : []),
      idle
        ? `With no requests the app used ${idle.appMs.toFixed(1)} ms and PostgreSQL ${idle.databaseMs.toFixed(1)} ms of CPU per second (included in the figures above).`
        : "",
      idle ? "" : "",
      ...(floorSteps.length
        ? [
            `Raw-SQL floor of the same page (home-timeline-sql.ts through \`pg\`, a pool of ${num("pool")}; entries read ${args["floor-read"] === "fan-in" ? "fan-in" : "from the feed"}):`,
            "",
            table(floorSteps, false),
            "",
          ]
        : []),
      httpSteps.length
        ? `- Highest offered rate with p99 ≤ ${targetMs} ms and no errors: ${httpBest ? `**${httpBest.rate} pages/s**` : "none"} (target ${TARGET_PAGES_PER_SECOND}: ${httpBest && httpBest.rate >= TARGET_PAGES_PER_SECOND ? "**met**" : "**missed**"}).`
        : "",
      floorSteps.length ? `- SQL floor: ${floorBest ? `${floorBest.rate} pages/s` : "none"} within ${targetMs} ms.` : "",
      Number.isFinite(httpCpu) && Number.isFinite(floorCpu)
        ? `- CPU per page at ${common} pages/s: ${httpCpu.toFixed(2)} ms (app + PostgreSQL) against the floor's ${floorCpu.toFixed(2)} ms (PostgreSQL) = ${(httpCpu / floorCpu).toFixed(1)}x (target ${TARGET_CPU_RATIO}x: ${httpCpu / floorCpu <= TARGET_CPU_RATIO ? "**met**" : "**missed**"}).`
        : "",
      firstPages ? `- ${firstPages.line}` : "",
    ]
      .filter((line, i, all) => line !== "" || all[i - 1] !== "")
      .join("\n");
    console.log(`\n${report}\n`);
    if (plans) console.log(`\n${plans}\n`);
    if (args.out) await appendFile(args.out, `${report}\n${plans ? `\n\`\`\`\n${plans}\n\`\`\`\n` : ""}\n`);
  } finally {
    if (!stopping) await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(`[bench] ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
