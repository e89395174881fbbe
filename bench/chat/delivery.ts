// `npm run bench:chat:delivery`: the delivery budget (send to receive through the server, p99 under
// 100 ms with 1,000 connected recipients), measured end to end:
//  1. a production build no older than the sources (built once if stale; never measured);
//  2. a fresh embedded PostgreSQL in a temporary folder, migrated, with pg_stat_statements loaded
//     (to count the statements per message), and N accounts written by SQL, each with a session
//     and one chat device (delivery-accounts.ts);
//  3. scripts/start.ts serving the app as its own process on 127.0.0.1, on a free port;
//  4. one `chat.envelopes.stream` SSE subscription per account over real HTTP;
//  5. sealed envelopes (34 + 256 + 16 bytes, the smallest padded size, carrying the run's tag and
//     a sequence number) sent through `chat.envelopes.send` from random senders to random
//     recipients: a warm-up, then steady phases at fixed rates, then a burst sent all at once.
//     Latency runs from just before the send request to the SSE event arriving at the recipient,
//     on this process's clock; each recipient acknowledges what it got (`chat.envelopes.ack`), as
//     a client does once it has stored a message;
//  6. a markdown report. Lost, duplicated or misdelivered envelopes, failed sends or acks, and
//     dropped streams make it fail (exit code 1).
// Options: --subscribers 1000 --messages 2000 (per steady phase) --rates 25,50,100 (one steady
//   phase each) --warmup 200 --burst 1000 --idle 30 (seconds with streams open and no messages)
//   --port <free> --build --keep --without-statements
//   --time-series (latency by second of sending) --out <file.md>
import { CleanUp } from "../lib/clean-up";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedPostgres } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";
import { summarize } from "../lib/latency-summary";
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from "../timeline/cpu-time";
import { startAppServer, type AppServer } from "../lib/app-server";
import { Acknowledger } from "./acknowledger";
import { createChatHttp, type ChatHttp } from "./chat-http";
import { ensureCurrentBuild } from "./current-build";
import { createChatAccounts, type ChatAccount } from "./delivery-accounts";
import { describeCheckout } from "./describe-checkout";
import { subscribeAll, type ArrivedEnvelope } from "./envelope-subscriber";
import { freePort } from "../../scripts/free-port";
import { machineCpuMs, openFilesLimit, sampleMemory, type MemorySample } from "./process-stats";
import { readStatements, resetStatements, withStatements, type StatementCount } from "./statement-counts";

const { values: args } = parseArgs({
  options: {
    subscribers: { type: "string", default: "1000" },
    messages: { type: "string", default: "2000" },
    rates: { type: "string", default: "25,50,100" },
    warmup: { type: "string", default: "200" },
    burst: { type: "string", default: "1000" },
    idle: { type: "string", default: "30" },
    port: { type: "string" },
    build: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "without-statements": { type: "boolean", default: false },
    out: { type: "string" },
    "time-series": { type: "boolean", default: false },
  },
});

const num = (name: "subscribers" | "messages" | "warmup" | "burst" | "idle" | "port") => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
};

const log = (line: string) => console.log(`[bench] ${line}`);
const BUDGET_P99_MS = 100;
const QUIET_OTHERS_PERCENT = 25;
/** Longer than the stream's 25 s re-read, so an envelope whose wake-up was lost still arrives (late). */
const DELIVERY_TIMEOUT_MS = 40_000;
const CONNECT_CONCURRENCY = 50;
const SETTLE_MS = 3_000;
const PAYLOAD_BYTES = 34 + 256 + 16;
const RUN_TAG = randomBytes(8);

interface SentEnvelope {
  seq: number;
  recipient: number;
  sentAt: number;
  answeredAt: number | null;
  receivedAt: number | null;
  deliveries: number;
  failed: boolean;
}

interface Phase {
  label: string;
  startedAt: number;
  seqs: number[];
  sendErrors: number;
  firstSendError: string | null;
  /** How late the pacer issued sends, behind their schedule (ms). */
  maxPacerLagMs: number;
}

const sent = new Map<number, SentEnvelope>();
/** Every 500 ms: the machine's CPU time and that of the app, PostgreSQL and this process (ms). */
const cpuSamples: { at: number; machineMs: number; ownMs: number }[] = [];
const anomalies = { duplicates: 0, misdelivered: 0, foreign: 0, ackErrors: 0, streamTroubles: 0 };
let firstAnomaly: string | null = null;
let nextSeq = 0;

function note(kind: keyof typeof anomalies, detail: string) {
  anomalies[kind]++;
  firstAnomaly ??= `${kind}: ${detail}`;
}

function payloadFor(seq: number): string {
  const bytes = randomBytes(PAYLOAD_BYTES);
  RUN_TAG.copy(bytes, 0);
  bytes.writeUInt32BE(seq, 8);
  return bytes.toString("base64url");
}

/** The run tag and sequence number at the start of a payload (the first 16 base64 characters are 12 bytes). */
function seqOf(payload: string): number | null {
  const head = Buffer.from(payload.slice(0, 16), "base64url");
  return head.length === 12 && head.subarray(0, 8).equals(RUN_TAG) ? head.readUInt32BE(8) : null;
}

function onEnvelope(recipient: number, envelope: ArrivedEnvelope, acks: Acknowledger) {
  const seq = seqOf(envelope.payload);
  const record = seq === null ? undefined : sent.get(seq);
  if (!record) {
    note("foreign", `device ${recipient} got envelope ${envelope.id}, which this run did not send`);
  } else {
    if (record.recipient !== recipient) note("misdelivered", `#${seq} for ${record.recipient} arrived at ${recipient}`);
    record.deliveries++;
    if (record.deliveries === 1) record.receivedAt = envelope.arrivedAt;
    else note("duplicates", `#${seq} arrived ${record.deliveries} times`);
  }
  acks.add(recipient, envelope.id);
}

function pickOther(accounts: ChatAccount[], not: number): ChatAccount {
  for (;;) {
    const candidate = accounts[Math.floor(Math.random() * accounts.length)]!;
    if (candidate.index !== not || accounts.length === 1) return candidate;
  }
}

function sendOne(client: ChatHttp, phase: Phase, sender: ChatAccount, recipient: ChatAccount): Promise<void> {
  const seq = nextSeq++;
  const input = { clientMessageId: randomUUID(), envelopes: [{ deviceRowId: recipient.deviceRowId, payload: payloadFor(seq) }] };
  const record: SentEnvelope = { seq, recipient: recipient.index, sentAt: performance.now(), answeredAt: null, receivedAt: null, deliveries: 0, failed: false };
  sent.set(seq, record);
  phase.seqs.push(seq);
  return client.mutate(sender.token, "chat.envelopes.send", input).then(
    () => void (record.answeredAt = performance.now()),
    (error: unknown) => {
      record.failed = true;
      phase.sendErrors++;
      phase.firstSendError ??= (error as Error).message;
    },
  );
}

/** Open loop: message i goes out at start + i / rate, whether or not earlier ones were answered. */
async function sendPaced(client: ChatHttp, phase: Phase, accounts: ChatAccount[], count: number, ratePerSecond: number): Promise<void> {
  const requests: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    phase.maxPacerLagMs = Math.max(phase.maxPacerLagMs, performance.now() - due);
    const sender = accounts[Math.floor(Math.random() * accounts.length)]!;
    requests.push(sendOne(client, phase, sender, pickOther(accounts, sender.index)));
  }
  await Promise.all(requests);
}

/** Everything at once, each message from a different sender while there are senders enough. */
async function sendBurst(client: ChatHttp, phase: Phase, accounts: ChatAccount[], count: number): Promise<void> {
  const senders = [...accounts].sort(() => Math.random() - 0.5);
  const requests: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const sender = senders[i % senders.length]!;
    requests.push(sendOne(client, phase, sender, pickOther(accounts, sender.index)));
  }
  await Promise.all(requests);
}

async function waitForDelivery(phase: Phase, acks: Acknowledger): Promise<void> {
  const deadline = performance.now() + DELIVERY_TIMEOUT_MS;
  const outstanding = () =>
    phase.seqs.some((seq) => {
      const record = sent.get(seq)!;
      return !record.failed && record.deliveries === 0;
    });
  while (outstanding() && performance.now() < deadline) await sleep(20);
  while (!acks.idle && performance.now() < deadline + 10_000) await sleep(20);
}

interface PhaseResult {
  phase: Phase;
  readonly latencies: Float64Array;
  readonly answerLatencies: Float64Array;
  seconds: number;
  readonly received: number;
  readonly lost: number;
  cpu: CpuSnapshot;
  statements: StatementCount[] | null;
  loopDelayP99Ms: number;
  /** CPU the rest of the machine used meanwhile, in ms (other people's work on a shared machine). */
  othersMs: number;
}

async function runPhase(options: {
  label: string;
  server: AppServer;
  dataDir: string;
  admin: pg.Client | null;
  acks: Acknowledger;
  send: (phase: Phase) => Promise<void>;
}): Promise<PhaseResult> {
  const phase: Phase = { label: options.label, startedAt: performance.now(), seqs: [], sendErrors: 0, firstSendError: null, maxPacerLagMs: 0 };
  await resetStatements(options.admin);
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const cpuStart = cpuSnapshot({ appProcessGroup: options.server.processGroup, dataDir: options.dataDir });
  const machineStart = machineCpuMs();
  const started = performance.now();
  await options.send(phase);
  await waitForDelivery(phase, options.acks);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuStart, cpuSnapshot({ appProcessGroup: options.server.processGroup, dataDir: options.dataDir }));
  const othersMs = Math.max(0, machineCpuMs() - machineStart - cpu.appMs - cpu.databaseMs - cpu.benchMs);
  loopDelay.disable();
  const statements = await readStatements(options.admin);
  // Read when the report is written, so that an envelope arriving during a later phase counts as
  // received (late), not as lost.
  const records = phase.seqs.map((seq) => sent.get(seq)!);
  const delivered = () => records.filter((r) => r.receivedAt !== null);
  return {
    phase,
    get latencies() {
      return Float64Array.from(delivered().map((r) => r.receivedAt! - r.sentAt));
    },
    get answerLatencies() {
      return Float64Array.from(records.filter((r) => r.answeredAt !== null).map((r) => r.answeredAt! - r.sentAt));
    },
    seconds,
    get received() {
      return delivered().length;
    },
    get lost() {
      return records.filter((r) => !r.failed && r.receivedAt === null).length;
    },
    cpu,
    statements,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    othersMs,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(1) : value.toFixed(0));
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

function phaseRow(result: PhaseResult, subscribers: number): string {
  const s = summarize(result.latencies, result.seconds);
  const count = result.phase.seqs.length;
  const cpuPercent = (cpuMs: number) => `${((cpuMs / (result.seconds * 1000)) * 100).toFixed(0)}%`;
  return (
    `| ${result.phase.label} | ${subscribers} | ${count.toLocaleString("en")} | ${result.received.toLocaleString("en")} | ${result.lost} | ` +
    `${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(summarize(result.answerLatencies, 1).p99)} | ` +
    `${cpuPercent(result.cpu.appMs)} / ${cpuPercent(result.cpu.databaseMs)} / ${cpuPercent(result.cpu.benchMs)} / ${cpuPercent(result.othersMs)} | ` +
    `${(result.cpu.appMs / count).toFixed(1)} / ${(result.cpu.databaseMs / count).toFixed(1)} |`
  );
}

/** CPU the rest of the machine used between two moments (other people's work on a shared machine), in % of one core. */
function othersPercent(from: number, to: number): number | null {
  const sampleAt = (time: number) => cpuSamples.reduce((best, s) => (Math.abs(s.at - time) < Math.abs(best.at - time) ? s : best), cpuSamples[0]!);
  const [a, b] = [sampleAt(from), sampleAt(to)];
  return a && b && b.at > a.at ? Math.max(0, ((b.machineMs - a.machineMs - (b.ownMs - a.ownMs)) / (b.at - a.at)) * 100) : null;
}

/** The phase's delivered messages by the second they were sent in, with what the rest of the machine did meanwhile. */
function windowsOf(result: PhaseResult, windowMs = 1_000): { window: number; latencies: number[]; othersPercent: number | null }[] {
  const windows = new Map<number, number[]>();
  for (const seq of result.phase.seqs) {
    const record = sent.get(seq)!;
    if (record.receivedAt === null) continue;
    const window = Math.floor((record.sentAt - result.phase.startedAt) / windowMs);
    const list = windows.get(window) ?? [];
    list.push(record.receivedAt - record.sentAt);
    windows.set(window, list);
  }
  return [...windows]
    .sort((a, b) => a[0] - b[0])
    .map(([window, latencies]) => {
      const from = result.phase.startedAt + window * windowMs;
      return { window, latencies, othersPercent: othersPercent(from, from + windowMs) };
    });
}

/** Latency by the second the message was sent in: where in a phase the slow ones cluster. */
function timeSeries(result: PhaseResult): string {
  const lines = [`-- ${result.phase.label}: latency by second of sending (count, p50, max ms; CPU of other processes on the machine)`];
  for (const { window, latencies, othersPercent } of windowsOf(result)) {
    const s = summarize(Float64Array.from(latencies), 1);
    const others = othersPercent === null ? "–" : `${othersPercent.toFixed(0)}%`;
    lines.push(
      `${String(window).padStart(4)} s  ${String(s.count).padStart(5)}  ${ms(s.p50).padStart(6)}  ${ms(s.max).padStart(6)}  ${others.padStart(5)}${s.max >= BUDGET_P99_MS ? "  *" : ""}`,
    );
  }
  return lines.join("\n");
}

/**
 * The same phase restricted to the seconds in which the rest of the machine used less than
 * QUIET_OTHERS_PERCENT of a core: what the server does when it has the machine to itself.
 */
function quietLine(result: PhaseResult): string {
  const quiet = windowsOf(result).filter((w) => w.othersPercent !== null && w.othersPercent < QUIET_OTHERS_PERCENT);
  const all = windowsOf(result).length;
  if (!quiet.length) return `  - In no second of this phase did other processes use less than ${QUIET_OTHERS_PERCENT}% of a core.`;
  const s = summarize(Float64Array.from(quiet.flatMap((w) => w.latencies)), 1);
  return (
    `  - Messages sent in the ${quiet.length} of ${all} seconds in which other processes used less than ${QUIET_OTHERS_PERCENT}% of a core: ` +
    `${s.count.toLocaleString("en")} messages, p50 ${ms(s.p50)} ms, p90 ${ms(s.p90)} ms, p99 ${ms(s.p99)} ms, max ${ms(s.max)} ms.`
  );
}

function statementsReport(result: PhaseResult): string {
  if (!result.statements) return "";
  const messages = result.phase.seqs.length;
  const total = result.statements.reduce((sum, s) => sum + s.calls, 0);
  const lines = [`-- ${result.phase.label}: ${total.toLocaleString("en")} statements, ${(total / messages).toFixed(1)} per message`];
  for (const s of result.statements.slice(0, 20)) {
    lines.push(`${(s.calls / messages).toFixed(2).padStart(7)} per message  ${s.meanMs.toFixed(3).padStart(7)} ms  ${s.query.slice(0, 160)}`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const subscriberCount = num("subscribers");
  const messageCount = num("messages");
  const rates = args.rates.split(",").map(Number);
  if (!rates.length || rates.some((r) => !(r > 0))) throw new Error("--rates must list messages per second, e.g. 25,50,100");
  const warmupCount = num("warmup");
  const burstCount = num("burst");
  if (subscriberCount < 2) throw new Error("--subscribers must be at least 2");
  // This process holds one socket per stream, plus one per send and ack in flight (a burst opens
  // up to two per sender); the server holds as many again. Children inherit the limit.
  const neededFiles = subscriberCount * 3 + 256;
  if (openFilesLimit() < neededFiles) {
    throw new Error(
      `The open-files limit is ${openFilesLimit()}; ${subscriberCount} subscribers need about ${neededFiles}. Raise it first: ulimit -n ${Math.max(4096, neededFiles)}`,
    );
  }

  const stack = new CleanUp(log);

  let failed = false;
  try {
    await ensureCurrentBuild({ force: args.build, log });
    const commit = describeCheckout();

    const dataDir = await mkdtemp(path.join(os.tmpdir(), "hearth-bench-delivery-"));
    if (!args.keep) stack.push(() => rm(dataDir, { recursive: true, force: true }));
    log(`Creating the embedded PostgreSQL in ${dataDir}`);
    let database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_bench" });
    if (!args["without-statements"]) database = await withStatements(database, dataDir);
    stack.push(() => database.stop());
    await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations"), log });
    if (stack.stopping) return;

    const seedStarted = performance.now();
    const accounts = await createChatAccounts(database.url, subscriberCount);
    log(`${accounts.length} accounts, sessions and chat devices written in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s.`);

    const admin = new pg.Client({ connectionString: database.url, application_name: "bench-admin" });
    await admin.connect();
    stack.push(() => admin.end());
    const { rows: settings } = await admin.query<{ version: string; max_connections: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('max_connections') AS max_connections",
    );
    const statementsAdmin = args["without-statements"] ? null : admin;

    const port = args.port ? num("port") : await freePort();
    const server = await startAppServer({ databaseUrl: database.url, dataDir, port, log });
    stack.push(() => server.stop());
    if (stack.stopping) return;

    const client = createChatHttp(server.origin);
    stack.push(async () => client.close());
    const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const acks = new Acknowledger(
      client,
      (recipient) => accounts[recipient]!.token,
      (message) => note("ackErrors", message),
    );
    const memory: MemorySample[] = [];
    const sampler = setInterval(() => {
      memory.push(sampleMemory({ appProcessGroup: server.processGroup, dataDir }));
      const own = cpuSnapshot({ appProcessGroup: server.processGroup, dataDir });
      cpuSamples.push({ at: performance.now(), machineMs: machineCpuMs(), ownMs: own.appMs + own.databaseMs + own.benchMs });
    }, 500);
    stack.push(async () => clearInterval(sampler));

    const idleMemory = sampleMemory({ appProcessGroup: server.processGroup, dataDir });
    log(`Opening ${subscriberCount} SSE streams (${CONNECT_CONCURRENCY} at a time)…`);
    const connectStarted = performance.now();
    const subscriptions = await subscribeAll({
      origin: server.origin,
      agent: streamAgent,
      targets: accounts,
      concurrency: CONNECT_CONCURRENCY,
      onEnvelope: (recipient, envelope) => onEnvelope(recipient, envelope, acks),
      onTrouble: (recipient, message) => note("streamTroubles", `device ${recipient}: ${message}`),
    });
    stack.push(async () => {
      for (const s of subscriptions) s.close();
      streamAgent.destroy();
    });
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    log(`${subscriptions.filter((s) => s.isOpen).length} streams connected in ${connectSeconds.toFixed(1)} s; letting them settle for ${SETTLE_MS / 1000} s…`);
    await sleep(SETTLE_MS);
    const connectedMemory = sampleMemory({ appProcessGroup: server.processGroup, dataDir });
    const connections = async () =>
      (
        await admin.query<{ application_name: string; state: string | null; n: number }>(
          `SELECT application_name, state, count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1, 2 ORDER BY 1, 2`,
        )
      ).rows;
    const connectionsIdle = await connections();

    // What the open streams cost on their own: the periodic re-reads (no message is sent).
    let idle: { seconds: number; cpu: CpuSnapshot; statements: number | null } | null = null;
    if (num("idle") > 0) {
      log(`Idle: ${num("idle")} s with ${subscriberCount} streams open and no messages…`);
      await resetStatements(statementsAdmin);
      const before = cpuSnapshot({ appProcessGroup: server.processGroup, dataDir });
      await sleep(num("idle") * 1000);
      const cpu = cpuBetween(before, cpuSnapshot({ appProcessGroup: server.processGroup, dataDir }));
      const statements = await readStatements(statementsAdmin);
      idle = { seconds: num("idle"), cpu, statements: statements ? statements.reduce((sum, s) => sum + s.calls, 0) : null };
    }

    const loadBefore = loadAverage();
    const results: PhaseResult[] = [];
    const context = { server, dataDir, admin: statementsAdmin, acks };
    if (warmupCount > 0) {
      log(`Warm-up: ${warmupCount} messages at ${rates[0]}/s…`);
      await runPhase({ ...context, label: "warm-up", send: (phase) => sendPaced(client, phase, accounts, warmupCount, rates[0]!) });
    }
    let connectionsBusy: Awaited<ReturnType<typeof connections>> = [];
    for (const rate of rates) {
      await sleep(2_000);
      log(`Steady: ${messageCount} messages at ${rate}/s…`);
      const result = await runPhase({
        ...context,
        label: `steady, ${rate} messages/s`,
        send: async (phase) => {
          const paced = sendPaced(client, phase, accounts, messageCount, rate);
          if (!connectionsBusy.length) {
            await sleep(Math.min(5_000, (messageCount * 500) / rate));
            connectionsBusy = await connections();
          }
          await paced;
        },
      });
      results.push(result);
    }
    if (burstCount > 0) {
      await sleep(2_000);
      log(`Burst: ${burstCount} messages at once…`);
      results.push(await runPhase({ ...context, label: `burst, ${burstCount} at once`, send: (phase) => sendBurst(client, phase, accounts, burstCount) }));
    }
    const loadAfter = loadAverage();
    const stillOpen = subscriptions.filter((s) => s.isOpen).length;
    const reconnections = subscriptions.reduce((sum, s) => sum + s.reconnections, 0);

    const peak = memory.reduce((a, b) => (b.appRssMiB > a.appRssMiB ? b : a), connectedMemory);
    const peakPostgres = Math.max(connectedMemory.postgresPssMiB, ...memory.map((m) => m.postgresPssMiB));
    const sendErrors = results.reduce((sum, r) => sum + r.phase.sendErrors, 0);
    const lost = results.reduce((sum, r) => sum + r.lost, 0);
    const problems = [
      lost && `${lost} lost`,
      anomalies.duplicates && `${anomalies.duplicates} duplicated`,
      anomalies.misdelivered && `${anomalies.misdelivered} misdelivered`,
      anomalies.foreign && `${anomalies.foreign} unknown envelopes`,
      sendErrors && `${sendErrors} failed sends (first: ${results.find((r) => r.phase.firstSendError)?.phase.firstSendError})`,
      anomalies.ackErrors && `${anomalies.ackErrors} failed acks`,
      anomalies.streamTroubles && `${anomalies.streamTroubles} stream errors or drops (${reconnections} reconnections)`,
      stillOpen !== subscriberCount && `${subscriberCount - stillOpen} streams not open at the end`,
    ].filter(Boolean);
    failed = problems.length > 0;
    const steady = results.filter((r) => r.phase.label.startsWith("steady"));
    const describeConnections = (rows: Awaited<ReturnType<typeof connections>>) =>
      rows
        .filter((r) => r.application_name !== "bench-admin")
        .map((r) => `${r.n} ${r.application_name || "(app pool)"} ${r.state ?? ""}`.trim())
        .join(", ");

    const report = [
      `### Chat delivery, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${commit}`,
      "",
      `${subscriberCount.toLocaleString("en")} accounts, each with one chat device and one open \`chat.envelopes.stream\` (SSE over HTTP/1.1 on loopback); ` +
        `${stillOpen} streams open at the end, ${reconnections} reconnections. Streams opened in ${connectSeconds.toFixed(1)} s (${CONNECT_CONCURRENCY} at a time). ` +
        `Envelopes of ${PAYLOAD_BYTES} bytes, one recipient device each, from random senders to random recipients; warm-up ${warmupCount} messages (not counted). ` +
        `PostgreSQL ${settings[0]!.version} (embedded, default settings, max_connections ${settings[0]!.max_connections}${statementsAdmin ? ", pg_stat_statements loaded" : ""}), ` +
        `Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}) shared by the server, PostgreSQL and this load generator. ` +
        `Load average (1/5/15 min) ${loadBefore} before the warm-up, ${loadAfter} after the last phase.`,
      "",
      "| phase | streams | sent | received | lost | p50 ms | p90 ms | p99 ms | max ms | send answered, p99 ms | CPU, % of a core: app / PostgreSQL / bench / other processes | CPU ms per message: app / PostgreSQL |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...results.map((r) => phaseRow(r, subscriberCount)),
      "",
      ...steady.flatMap((r) => {
        const p99 = summarize(r.latencies, r.seconds).p99;
        return [
          `- ${r.phase.label}: p99 ${ms(p99)} ms against a budget of ${BUDGET_P99_MS} ms: ${p99 < BUDGET_P99_MS ? "**met**" : "**missed**"}.`,
          quietLine(r),
        ];
      }),
      `- Lost ${lost}, duplicated ${anomalies.duplicates}, misdelivered ${anomalies.misdelivered}, failed sends ${sendErrors}, failed acks ${anomalies.ackErrors}, stream errors ${anomalies.streamTroubles}` +
        ` (${client.retriedOnStaleConnection} requests sent again after the server closed an idle keep-alive connection under them, as a browser does).`,
      `- App server RSS: ${idleMemory.appRssMiB.toFixed(0)} MiB before the streams, ${connectedMemory.appRssMiB.toFixed(0)} MiB with ${subscriberCount} streams open, ` +
        `${peak.appRssMiB.toFixed(0)} MiB at most. PostgreSQL (PSS, ${connectedMemory.postgresProcesses} processes): ${connectedMemory.postgresPssMiB.toFixed(0)} MiB, at most ${peakPostgres.toFixed(0)} MiB.`,
      ...(idle
        ? [
            `- ${subscriberCount} open streams and no messages, over ${idle.seconds} s: app ${(idle.cpu.appMs / idle.seconds / 10).toFixed(1)}% of a core, PostgreSQL ${(idle.cpu.databaseMs / idle.seconds / 10).toFixed(1)}%` +
              (idle.statements !== null ? `, ${(idle.statements / idle.seconds).toFixed(0)} statements/s (the streams' periodic re-reads).` : "."),
          ]
        : []),
      `- PostgreSQL connections with ${subscriberCount} streams open and idle: ${describeConnections(connectionsIdle)}; during the steady phase: ${describeConnections(connectionsBusy)}. ` +
        "Waiting streams hold no connection: they wait on the notify bus.",
      `- This process's event-loop delay, p99: ${results.map((r) => `${r.phase.label} ${ms(r.loopDelayP99Ms)} ms`).join(", ")}; the pacer ran at most ${ms(Math.max(...steady.map((r) => r.phase.maxPacerLagMs)))} ms behind schedule.`,
      failed ? `- **FAILED**: ${problems.join("; ")}. First: ${firstAnomaly ?? "–"}` : "- No envelope lost, duplicated or misdelivered.",
    ].join("\n");
    const statements = results.map(statementsReport).filter(Boolean).join("\n\n");
    const serverErrors = server.errorLines();
    if (serverErrors.length) console.log(`The server logged ${serverErrors.length} error lines; the last ones:\n${serverErrors.slice(-15).join("\n")}\n`);
    console.log(`\n${report}\n`);
    if (statements) console.log(`Statements per message (pg_stat_statements):\n${statements}\n`);
    if (args["time-series"]) console.log(`${results.map((r) => timeSeries(r)).join("\n\n")}\n`);
    if (args.out) await writeFile(args.out, `${report}\n${statements ? `\n\`\`\`\n${statements}\n\`\`\`\n` : ""}`);
  } finally {
    if (!stack.stopping) await stack.run();
  }
  if (failed) {
    console.error("[bench] FAILED: see the report above.");
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`[bench] ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
