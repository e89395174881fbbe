// `npm run bench:chat:group`: one text to a group of 100 members with 2 devices each (issue 11):
// the sender device's time, the bytes it uploads, the server's CPU and send-to-receive latency for
// every member device. The parts are those of the delivery benchmark (delivery.ts):
//  1. a production build no older than the sources (built once if stale; never measured);
//  2. a fresh embedded PostgreSQL with pg_stat_statements, and the members written by SQL, each
//     with a session and 2 chat devices (delivery-accounts.ts);
//  3. scripts/start.ts serving the app on 127.0.0.1, and one `chat.envelopes.stream` per member
//     device except the sending one (199 streams);
//  4. real keys on every device (the crypto core's test devices: identity key, signed prekey,
//     ML-KEM prekeys, one one-time prekey each), and the sending device sealing as the chat
//     engine's outbox does (`sealForGroup`), measured in this process:
//     - first, `--warmup` messages sealed as in the steady state with a throwaway chain (not
//       counted, not decrypted), so that neither the server's paths nor the sealing start cold;
//     - the group's first message: no sessions yet, so each device gets a PQXDH session
//       (processPreKeyBundle) and the message with the chain's distribution, pairwise ("group-key");
//     - the first message of a new chain (a rotation, once every member has answered once): the
//       same "group-key" copies over the established sessions;
//     - then `--messages` messages at `--rate` a second: the text encrypted once with the sender
//       key and sealed per device (sealSenderKeyMessage);
//     each message goes out as one `chat.envelopes.send` with `group: true`;
//  5. every device acknowledges what it got, as a client does; afterwards every envelope is opened
//     and decrypted with that device's keys and must give the text sent (not timed).
// Latency runs from just before the send request to the SSE event arriving at a device, on this
// process's clock. Server CPU is the app's process group and PostgreSQL between before the send
// and the last ack, less what the open streams cost when idle (measured first).
// Lost, duplicated, misdelivered or undecryptable envelopes, failed sends or acks and dropped
// streams make it fail (exit code 1).
// Options: --members 100 --devices 2 (per member) --messages 50 --rate 1 (messages/s) --warmup 5
//   --idle 10 (seconds with the streams open and nothing sent) --port <free> --build
//   --existing-build (use the build there is, even if older than the sources; the report says so)
//   --keep --without-statements --out <file.md>
//   --without-acks (devices do not acknowledge: what the send and the deliveries cost without the
//   acks; envelopes then stay stored, and each wake-up re-reads the last 10 s of them)
// The sender's envelopes count against its account's envelope limit (server/auth/rate-limits.ts,
// 20,000 in 10 minutes): at 199 envelopes a message, about 100 messages a run, warm-up included.
import { CleanUp } from "../lib/clean-up";
import { randomUUID } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import {
  decryptMessage,
  encryptMessage,
  loadCryptoCore,
  openSealedMessage,
  OwnSenderKey,
  processPreKeyBundle,
  ReceivedSenderKeys,
  sealedDecrypt,
  sealedEncrypt,
  sealSenderKeyMessage,
  systemRandom,
} from "../../app/_chat/crypto";
import { createTestDevice, type TestDevice } from "../../app/_chat/crypto/testing/test-device";
import { decodeContent, encodeContent, type ChatContent } from "../../app/_chat/engine/chat-content";
import { fromBase64Url, toBase64Url } from "../../app/_shared/isomorphic/base64url";
import { startEmbeddedPostgres } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";
import { startAppServer, type AppServer } from "../lib/app-server";
import { summarize } from "../lib/latency-summary";
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from "../timeline/cpu-time";
import { Acknowledger } from "./acknowledger";
import { createChatHttp, mutationBody, type ChatHttp } from "./chat-http";
import { buildIsStale, ensureCurrentBuild } from "./current-build";
import { createChatAccounts, type ChatAccount, type ChatAccountDevice } from "./delivery-accounts";
import { describeCheckout } from "./describe-checkout";
import { subscribeAll, type ArrivedEnvelope } from "./envelope-subscriber";
import { freePort } from "../../scripts/free-port";
import { machineCpuMs, openFilesLimit } from "./process-stats";
import { readStatements, resetStatements, withStatements, type StatementCount } from "./statement-counts";

const { values: args } = parseArgs({
  options: {
    members: { type: "string", default: "100" },
    devices: { type: "string", default: "2" },
    messages: { type: "string", default: "50" },
    rate: { type: "string", default: "1" },
    warmup: { type: "string", default: "5" },
    idle: { type: "string", default: "10" },
    port: { type: "string" },
    build: { type: "boolean", default: false },
    "existing-build": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "without-statements": { type: "boolean", default: false },
    "without-acks": { type: "boolean", default: false },
    out: { type: "string" },
  },
});

const num = (name: "members" | "devices" | "messages" | "warmup" | "idle" | "port") => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
};

const log = (line: string) => console.log(`[bench] ${line}`);
const BUDGET_P99_MS = 100;
/** Longer than the stream's 25 s re-read, so an envelope whose wake-up was lost still arrives (late). */
const DELIVERY_TIMEOUT_MS = 40_000;
const CONNECT_CONCURRENCY = 50;
const SETTLE_MS = 3_000;
/** A one-line text, as typed. */
const TEXT = "Running 10 minutes late, start without me! 🚲";

type Kind = "new group" | "new chain" | "warm-up" | "steady";

/** A member device other than the sending one: its stream, its keys, what it received. */
interface Recipient {
  index: number;
  account: ChatAccount;
  device: ChatAccountDevice;
  keys: TestDevice;
  senderKeys: ReceivedSenderKeys;
  /** Envelopes as they arrived, checked by decryption once their phase is over. */
  arrived: { seq: number; payload: string }[];
}

interface GroupMessage {
  seq: number;
  kind: Kind;
  /** The sending device's wall time and CPU time to encrypt and seal every copy (ms). */
  sealMs: number;
  sealCpuMs: number;
  envelopes: number;
  bodyBytes: number;
  payloadBytes: number;
  sentAt: number;
  answeredAt: number | null;
  /** performance.now() of arrival, per recipient; NaN until it arrives. */
  receivedAt: Float64Array;
}

const messages: GroupMessage[] = [];
/** Every payload sent, to the message and the device it was for. */
const sentPayloads = new Map<string, { seq: number; recipient: number }>();
const anomalies = { duplicates: 0, misdelivered: 0, foreign: 0, undecryptable: 0, sendErrors: 0, ackErrors: 0, streamTroubles: 0 };
let firstAnomaly: string | null = null;

function note(kind: keyof typeof anomalies, detail: string) {
  anomalies[kind]++;
  firstAnomaly ??= `${kind}: ${detail}`;
}

function onEnvelope(recipients: Recipient[], index: number, envelope: ArrivedEnvelope, acks: Acknowledger | null) {
  const sent = sentPayloads.get(envelope.payload);
  const message = sent && messages[sent.seq];
  if (!sent || !message) {
    note("foreign", `device ${index} got envelope ${envelope.id}, which this run did not send`);
  } else if (sent.recipient !== index) {
    note("misdelivered", `#${sent.seq} for device ${sent.recipient} arrived at device ${index}`);
  } else if (!Number.isNaN(message.receivedAt[index]!)) {
    note("duplicates", `#${sent.seq} arrived twice at device ${index}`);
  } else {
    message.receivedAt[index] = envelope.arrivedAt;
    recipients[index]!.arrived.push({ seq: sent.seq, payload: envelope.payload });
  }
  // After this turn's other arrivals: issuing 199 ack requests must not delay the arrival times read next.
  if (acks) setImmediate(() => acks.add(index, envelope.id));
}

/** The sending device: its keys, its pairwise sessions and its current sender-key chain. */
class GroupSender {
  private chain: OwnSenderKey;

  constructor(
    readonly keys: TestDevice,
    private readonly groupId: string,
    private readonly recipients: Recipient[],
  ) {
    this.chain = OwnSenderKey.create(groupId, systemRandom);
  }

  private content(): ChatContent {
    return { t: "group-text", id: randomUUID(), groupId: this.groupId, body: TEXT, sentAt: Date.now() };
  }

  /** A new chain, whose distribution every device gets pairwise with the message ("group-key"); PQXDH first where there is no session. */
  async sealWithNewChain(bundles: Map<number, Awaited<ReturnType<TestDevice["bundle"]>>> | null): Promise<Uint8Array[]> {
    this.chain = OwnSenderKey.create(this.groupId, systemRandom);
    const distribution = this.chain.distributionMessage();
    const message = this.chain.encrypt(encodeContent(this.content()));
    const keyContent = encodeContent({ t: "group-key", groupId: this.groupId, distribution: toBase64Url(distribution), message: toBase64Url(message) });
    const sealed: Uint8Array[] = [];
    for (const r of this.recipients) {
      const bundle = bundles?.get(r.index);
      if (bundle) await processPreKeyBundle({ address: r.keys.address, bundle, stores: this.keys.stores, random: systemRandom });
      sealed.push(
        await sealedEncrypt({
          address: r.keys.address,
          sender: this.keys.address,
          plaintext: keyContent,
          stores: this.keys.stores,
          random: systemRandom,
          now: Date.now(),
        }),
      );
    }
    return sealed;
  }

  /** The steady state: encrypted once with the sender key, sealed per device. */
  sealWithSenderKey(): Promise<Uint8Array[]> {
    return this.sealOnce(this.chain);
  }

  /** Warm-up traffic: sealed as in the steady state, with a throwaway chain no device has (so nothing is decrypted). */
  sealWarmUp(): Promise<Uint8Array[]> {
    return this.sealOnce(OwnSenderKey.create(this.groupId, systemRandom));
  }

  private async sealOnce(chain: OwnSenderKey): Promise<Uint8Array[]> {
    const message = chain.encrypt(encodeContent(this.content()));
    const sealed: Uint8Array[] = [];
    for (const r of this.recipients) {
      sealed.push(
        await sealSenderKeyMessage({
          recipientIdentityKey: r.keys.identityKeyPair.identityKey,
          sender: this.keys.address,
          message,
          stores: this.keys.stores,
          random: systemRandom,
          now: Date.now(),
        }),
      );
    }
    return sealed;
  }
}

/** Seals one message (timed), then sends it in one request; `answered` settles with the request. */
async function sendGroupMessage(options: {
  kind: Kind;
  seal: () => Promise<Uint8Array[]>;
  client: ChatHttp;
  token: string;
  recipients: Recipient[];
}): Promise<{ answered: Promise<void> }> {
  const { recipients } = options;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const sealed = await options.seal();
  const envelopes = sealed.map((bytes, i) => ({ deviceRowId: recipients[i]!.device.rowId, payload: toBase64Url(bytes) }));
  const sealMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const input = { clientMessageId: randomUUID(), group: true, envelopes };
  const message: GroupMessage = {
    seq: messages.length,
    kind: options.kind,
    sealMs,
    sealCpuMs: (cpu.user + cpu.system) / 1000,
    envelopes: envelopes.length,
    bodyBytes: Buffer.byteLength(mutationBody(input)),
    payloadBytes: sealed.reduce((sum, bytes) => sum + bytes.length, 0),
    sentAt: 0,
    answeredAt: null,
    receivedAt: new Float64Array(recipients.length).fill(NaN),
  };
  messages.push(message);
  envelopes.forEach((e, recipient) => sentPayloads.set(e.payload, { seq: message.seq, recipient }));
  message.sentAt = performance.now();
  const answered = options.client.mutate(options.token, "chat.envelopes.send", input).then(
    () => void (message.answeredAt = performance.now()),
    (error: unknown) => note("sendErrors", `#${message.seq}: ${(error as Error).message}`),
  );
  return { answered };
}

async function waitForDelivery(batch: GroupMessage[], acks: Acknowledger): Promise<void> {
  const deadline = performance.now() + DELIVERY_TIMEOUT_MS;
  const outstanding = () => batch.some((m) => m.answeredAt !== null && m.receivedAt.some(Number.isNaN));
  while (outstanding() && performance.now() < deadline) await sleep(20);
  while (!acks.idle && performance.now() < deadline + 10_000) await sleep(20);
}

/** Opens and decrypts what each device received, in arrival order, with its own keys. */
async function checkArrivals(recipients: Recipient[], sender: TestDevice, options: { reply: boolean }): Promise<void> {
  const isSender = (address: { userId: string; deviceId: number }) => address.userId === sender.address.userId && address.deviceId === sender.address.deviceId;
  for (const r of recipients) {
    for (const { seq, payload } of r.arrived.splice(0)) {
      if (messages[seq]!.kind === "warm-up") continue;
      try {
        const envelope = fromBase64Url(payload);
        const opened = await openSealedMessage({ envelope, stores: r.keys.stores });
        let content: ChatContent | null;
        if (opened.message.type === "senderkey") {
          if (!isSender(opened.sender) || !opened.senderIdentityKey.equals(sender.identityKeyPair.identityKey)) throw new Error("wrong sender");
          content = decodeContent(r.senderKeys.decrypt(opened.message.body));
        } else {
          const { plaintext } = await sealedDecrypt({
            envelope,
            stores: r.keys.stores,
            random: systemRandom,
            now: Date.now(),
            acceptSender: (address, key) => isSender(address) && key.equals(sender.identityKeyPair.identityKey),
          });
          const keyContent = decodeContent(plaintext);
          if (keyContent?.t !== "group-key") throw new Error(`a pairwise ${keyContent?.t ?? "unreadable"} content`);
          r.senderKeys.process(fromBase64Url(keyContent.distribution));
          content = decodeContent(r.senderKeys.decrypt(fromBase64Url(keyContent.message)));
        }
        if (content?.t !== "group-text" || content.body !== TEXT) throw new Error("not the text sent");
      } catch (error) {
        note("undecryptable", `#${seq} at device ${r.index}: ${(error as Error).message}`);
      }
    }
    if (options.reply) {
      // Every member answers once (pairwise, not through the server), so later copies are plain
      // ratchet messages rather than PQXDH ones: the sessions of people who have talked.
      const reply = await encryptMessage({ address: sender.address, plaintext: new Uint8Array([1]), stores: r.keys.stores, random: systemRandom });
      await decryptMessage({ address: r.keys.address, message: reply, stores: sender.stores, random: systemRandom, now: Date.now() });
    }
  }
}

/** Runs `send`, waits for every copy and ack; the server's CPU over that time. */
async function measured(server: AppServer, dataDir: string, acks: Acknowledger, send: () => Promise<GroupMessage[]>) {
  const cpuBefore = cpuSnapshot({ appProcessGroup: server.processGroup, dataDir });
  const machineBefore = machineCpuMs();
  const started = performance.now();
  const batch = await send();
  await waitForDelivery(batch, acks);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, cpuSnapshot({ appProcessGroup: server.processGroup, dataDir }));
  const othersMs = Math.max(0, machineCpuMs() - machineBefore - cpu.appMs - cpu.databaseMs - cpu.benchMs);
  return { batch, seconds, cpu, othersMs };
}

type Measured = Awaited<ReturnType<typeof measured>>;

/** Send to arrival at each device, over every copy of these messages that arrived. */
function deviceLatencies(batch: GroupMessage[]): Float64Array {
  return Float64Array.from(batch.flatMap((m) => [...m.receivedAt].filter((at) => !Number.isNaN(at)).map((at) => at - m.sentAt)));
}

/** Send to arrival at the last device, for the messages every device got. */
function lastDeviceLatencies(batch: GroupMessage[]): Float64Array {
  return Float64Array.from(batch.filter((m) => !m.receivedAt.some(Number.isNaN)).map((m) => Math.max(...m.receivedAt) - m.sentAt));
}

const ms = (value: number) => (Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(1) : value.toFixed(0));
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

/** One row of the report: p50 / p99 where the phase has several messages, the value itself where it has one. */
function messageRow(label: string, phase: Measured, idleCpu: CpuSnapshot & { seconds: number }): string {
  const { batch } = phase;
  const pair = (values: number[]) => {
    const s = summarize(Float64Array.from(values), 1);
    return values.length === 1 ? ms(s.p50) : `${ms(s.p50)} / ${ms(s.p99)}`;
  };
  const withMax = (values: number[]) => (values.length === 1 ? ms(values[0]!) : `${pair(values)} / ${ms(Math.max(...values))}`);
  const perDevice = summarize(deviceLatencies(batch), 1);
  const lastDevice = [...lastDeviceLatencies(batch)];
  const answered = batch.filter((m) => m.answeredAt !== null).map((m) => m.answeredAt! - m.sentAt);
  const envelopes = batch[0]!.envelopes;
  // What the open streams cost anyway over the same time (their periodic re-reads) is not the message's.
  const net = (used: number, idle: number) => Math.max(0, used - (idle / idleCpu.seconds) * phase.seconds) / batch.length;
  return (
    `| ${label} | ${envelopes} | ${pair(batch.map((m) => m.sealMs))} | ${pair(batch.map((m) => m.sealCpuMs))} | ` +
    `${kb(batch[0]!.bodyBytes)} | ${kb(batch[0]!.payloadBytes)} (${Math.round(batch[0]!.payloadBytes / envelopes)} B each) | ${pair(answered)} | ` +
    `${ms(perDevice.p50)} / ${ms(perDevice.p99)} / ${ms(perDevice.max)} | ${lastDevice.length ? withMax(lastDevice) : "–"} | ` +
    `${ms(net(phase.cpu.appMs, idleCpu.appMs))} / ${ms(net(phase.cpu.databaseMs, idleCpu.databaseMs))} |`
  );
}

function statementsPerMessage(statements: StatementCount[] | null, count: number): string | null {
  if (!statements) return null;
  const total = statements.reduce((sum, s) => sum + s.calls, 0);
  const lines = [`-- ${total.toLocaleString("en")} statements, ${(total / count).toFixed(1)} per group message`];
  for (const s of statements.slice(0, 10))
    lines.push(`${(s.calls / count).toFixed(2).padStart(8)} per message  ${s.meanMs.toFixed(3).padStart(7)} ms  ${s.query.slice(0, 150)}`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const memberCount = num("members");
  const devicesPerMember = num("devices");
  const steadyCount = num("messages");
  const warmupCount = num("warmup");
  const rate = Number(args.rate);
  if (memberCount < 2 || devicesPerMember < 1 || steadyCount < 1) throw new Error("--members must be at least 2, --devices and --messages at least 1");
  if (!(rate > 0)) throw new Error("--rate must be messages per second, e.g. 1");
  // One socket per stream and one per ack in flight here, as many again in the server.
  const neededFiles = memberCount * devicesPerMember * 3 + 256;
  if (openFilesLimit() < neededFiles)
    throw new Error(`The open-files limit is ${openFilesLimit()}; this run needs about ${neededFiles}: ulimit -n ${neededFiles}`);

  const stack = new CleanUp(log);

  let failed = false;
  try {
    if (args["existing-build"]) {
      if (!existsSync(path.join(".next", "BUILD_ID"))) throw new Error("--existing-build: there is no production build.");
    } else {
      await ensureCurrentBuild({ force: args.build, log });
    }
    const buildNote = buildIsStale()
      ? `the production build of ${statSync(path.join(".next", "BUILD_ID")).mtime.toISOString().slice(0, 16).replace("T", " ")} UTC, older than some sources (--existing-build)`
      : "a production build no older than the sources";
    const commit = describeCheckout();

    const dataDir = await mkdtemp(path.join(os.tmpdir(), "hearth-bench-group-"));
    if (!args.keep) stack.push(() => rm(dataDir, { recursive: true, force: true }));
    log(`Creating the embedded PostgreSQL in ${dataDir}`);
    let database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_bench" });
    if (!args["without-statements"]) database = await withStatements(database, dataDir);
    stack.push(() => database.stop());
    await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations"), log });
    if (stack.stopping) return;

    const accounts = await createChatAccounts(database.url, memberCount, { devicesPerAccount: devicesPerMember });
    const [senderAccount] = accounts;
    const sendingDevice = senderAccount!.devices[0]!;
    log(`${memberCount} members with ${devicesPerMember} devices each written.`);
    const admin = new pg.Client({ connectionString: database.url, application_name: "bench-admin" });
    await admin.connect();
    stack.push(() => admin.end());
    const { rows: settings } = await admin.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    const statementsAdmin = args["without-statements"] ? null : admin;

    await loadCryptoCore();
    const keysStarted = performance.now();
    const senderKeys = await createTestDevice({ userId: senderAccount!.userId, deviceId: sendingDevice.deviceId, random: systemRandom, oneTimePreKeys: 0 });
    const groupId = randomUUID();
    const recipients: Recipient[] = [];
    for (const account of accounts) {
      for (const device of account.devices) {
        if (device === sendingDevice) continue;
        const keys = await createTestDevice({ userId: account.userId, deviceId: device.deviceId, random: systemRandom, oneTimePreKeys: 1 });
        recipients.push({ index: recipients.length, account, device, keys, senderKeys: ReceivedSenderKeys.empty(groupId), arrived: [] });
      }
    }
    const sender = new GroupSender(senderKeys, groupId, recipients);
    log(`Keys for ${recipients.length + 1} devices made in ${((performance.now() - keysStarted) / 1000).toFixed(1)} s.`);

    const port = args.port ? num("port") : await freePort();
    const server = await startAppServer({ databaseUrl: database.url, dataDir, port, log });
    stack.push(() => server.stop());
    if (stack.stopping) return;
    const client = createChatHttp(server.origin);
    stack.push(async () => client.close());
    const acks = new Acknowledger(
      client,
      (recipient) => recipients[recipient]!.account.token,
      (message) => note("ackErrors", message),
    );
    const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    log(`Opening ${recipients.length} SSE streams…`);
    const subscriptions = await subscribeAll({
      origin: server.origin,
      agent: streamAgent,
      targets: recipients.map((r) => ({ token: r.account.token, deviceRowId: r.device.rowId })),
      concurrency: CONNECT_CONCURRENCY,
      onEnvelope: (index, envelope) => onEnvelope(recipients, index, envelope, args["without-acks"] ? null : acks),
      onTrouble: (index, message) => note("streamTroubles", `device ${index}: ${message}`),
    });
    stack.push(async () => {
      for (const s of subscriptions) s.close();
      streamAgent.destroy();
    });
    await sleep(SETTLE_MS);

    const idleSeconds = Math.max(1, num("idle"));
    log(`Idle: ${idleSeconds} s with ${recipients.length} streams open and nothing sent…`);
    const idleBefore = cpuSnapshot({ appProcessGroup: server.processGroup, dataDir });
    await sleep(idleSeconds * 1000);
    const idleCpu = { ...cpuBetween(idleBefore, cpuSnapshot({ appProcessGroup: server.processGroup, dataDir })), seconds: idleSeconds };

    const context = { client, token: senderAccount!.token, recipients };
    const one = async (kind: Kind, seal: () => Promise<Uint8Array[]>) => {
      const { answered } = await sendGroupMessage({ ...context, kind, seal });
      await answered;
      return [messages.at(-1)!];
    };

    const paced = async (kind: Kind, count: number) => {
      const requests: Promise<void>[] = [];
      const start = performance.now();
      let maxLagMs = 0;
      for (let i = 0; i < count; i++) {
        const due = start + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        maxLagMs = Math.max(maxLagMs, performance.now() - due);
        const seal = kind === "warm-up" ? () => sender.sealWarmUp() : () => sender.sealWithSenderKey();
        requests.push((await sendGroupMessage({ ...context, kind, seal })).answered);
      }
      await Promise.all(requests);
      return maxLagMs;
    };
    if (warmupCount > 0) {
      // The server's send, wake-up and ack paths and this process's sealing, warmed before anything is measured.
      log(`Warm-up: ${warmupCount} messages at ${rate}/s…`);
      await measured(server, dataDir, acks, async () => {
        const first = messages.length;
        await paced("warm-up", warmupCount);
        return messages.slice(first);
      });
      await sleep(2_000);
    }
    log("The group's first message: PQXDH and the chain pairwise to every device…");
    const bundles = new Map(await Promise.all(recipients.map(async (r) => [r.index, await r.keys.bundle()] as const)));
    const newGroup = await measured(server, dataDir, acks, () => one("new group", () => sender.sealWithNewChain(bundles)));
    await checkArrivals(recipients, senderKeys, { reply: true });
    await sleep(1_000);
    log("A new chain over established sessions…");
    const newChain = await measured(server, dataDir, acks, () => one("new chain", () => sender.sealWithNewChain(null)));
    await checkArrivals(recipients, senderKeys, { reply: false });
    await sleep(1_000);
    log(`Steady: ${steadyCount} messages at ${rate}/s…`);
    const loadBefore = loadAverage();
    await resetStatements(statementsAdmin);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    let pacerLagMs = 0;
    const steady = await measured(server, dataDir, acks, async () => {
      const first = messages.length;
      pacerLagMs = await paced("steady", steadyCount);
      return messages.slice(first);
    });
    loopDelay.disable();
    const statements = await readStatements(statementsAdmin);
    const loadAfter = loadAverage();
    await checkArrivals(recipients, senderKeys, { reply: false });

    const counted = [...newGroup.batch, ...newChain.batch, ...steady.batch];
    const lost = counted.reduce((sum, m) => sum + (m.answeredAt === null ? 0 : m.receivedAt.filter(Number.isNaN).length), 0);
    const stillOpen = subscriptions.filter((s) => s.isOpen).length;
    const problems = [
      lost && `${lost} envelopes lost`,
      ...Object.entries(anomalies).map(([kind, count]) => count && `${count} ${kind}`),
      stillOpen !== recipients.length && `${recipients.length - stillOpen} streams not open at the end`,
    ].filter(Boolean);
    failed = problems.length > 0;

    const steadyLatency = summarize(deviceLatencies(steady.batch), 1);
    const lastDevice = summarize(lastDeviceLatencies(steady.batch), 1);
    const idleShare = (idleMs: number) => (idleMs / idleCpu.seconds) * steady.seconds;
    const perCopy = (usedMs: number, idleMs: number) => ((usedMs - idleShare(idleMs)) / steady.batch.length / recipients.length).toFixed(2);
    const percent = (cpuMs: number, seconds: number) => `${((cpuMs / (seconds * 1000)) * 100).toFixed(0)}%`;
    const cpus = os.cpus();
    const report = [
      `### Group fan-out, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${commit}`,
      "",
      `A group of ${memberCount} members with ${devicesPerMember} devices each; one member's device sends a ${new TextEncoder().encode(TEXT).length}-byte text ` +
        `to the other ${recipients.length} devices, each with an open \`chat.envelopes.stream\` (${stillOpen} open at the end, ` +
        `${subscriptions.reduce((sum, s) => sum + s.reconnections, 0)} reconnections). Steady messages at ${rate}/s after ${warmupCount} of warm-up (not counted). ` +
        `Sealing on the sending device is this Node process (real keys, in-memory stores). ` +
        `${args["without-acks"] ? "**Devices do not acknowledge (--without-acks).** " : ""}Server: ${buildNote}, ` +
        `PostgreSQL ${settings[0]!.version} (embedded, default settings), Node ${process.version}, ${cpus.length} cores (${cpus[0]?.model.trim()}) ` +
        `shared by the server, PostgreSQL and this load generator. Load average (1/5/15 min) ${loadBefore} before the steady phase, ${loadAfter} after.`,
      "",
      "| message | envelopes | sender device: sealing, ms (p50 / p99) | process CPU meanwhile, ms | request body (JSON) | sealed payloads | send answered, ms | send to receive, all devices: p50 / p99 / max ms | until the last device has it: p50 / p99 / max ms | server CPU ms per message: app / PostgreSQL |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      messageRow("group's first message (PQXDH + chain, pairwise)", newGroup, idleCpu),
      messageRow("first of a new chain (chain pairwise, sessions exist)", newChain, idleCpu),
      messageRow(`sender key, ${steady.batch.length} messages at ${rate}/s`, steady, idleCpu),
      "",
      `- Steady, every device: p99 ${ms(steadyLatency.p99)} ms against the delivery budget's ${BUDGET_P99_MS} ms: ${steadyLatency.p99 < BUDGET_P99_MS ? "**met**" : "**missed**"}; ` +
        `the last of the ${recipients.length} devices had it after p99 ${ms(lastDevice.p99)} ms (${lastDevice.p99 < BUDGET_P99_MS ? "within" : "beyond"} ${BUDGET_P99_MS} ms).`,
      `- Server CPU, steady phase: app ${percent(steady.cpu.appMs, steady.seconds)} of a core, PostgreSQL ${percent(steady.cpu.databaseMs, steady.seconds)}, ` +
        `this process ${percent(steady.cpu.benchMs, steady.seconds)}, other processes ${percent(steady.othersMs, steady.seconds)}. ` +
        `Idle, ${recipients.length} streams open and nothing sent: app ${percent(idleCpu.appMs, idleCpu.seconds)}, PostgreSQL ${percent(idleCpu.databaseMs, idleCpu.seconds)} ` +
        `(subtracted from the per-message figures). Per device copy: app ${perCopy(steady.cpu.appMs, idleCpu.appMs)} ms, PostgreSQL ${perCopy(steady.cpu.databaseMs, idleCpu.databaseMs)} ms.`,
      `- Until the last device had it, message by message (ms): ${[...lastDeviceLatencies(steady.batch)].map((v) => v.toFixed(0)).join(", ")}.`,
      `- This process's event-loop delay in the steady phase, p99 ${ms(loopDelay.percentile(99) / 1e6)} ms; the pacer ran at most ${ms(pacerLagMs)} ms behind schedule.`,
      `- Lost ${lost}, duplicated ${anomalies.duplicates}, misdelivered ${anomalies.misdelivered}, undecryptable ${anomalies.undecryptable}, ` +
        `failed sends ${anomalies.sendErrors}, failed acks ${anomalies.ackErrors}, stream errors ${anomalies.streamTroubles}.` +
        (failed ? ` **FAILED**: ${problems.join("; ")}. First: ${firstAnomaly ?? "–"}` : " Every envelope was opened and decrypted to the text by its device."),
    ].join("\n");
    const statementLines = statementsPerMessage(statements, steady.batch.length);
    const serverErrors = server.errorLines();
    if (serverErrors.length) console.log(`The server logged ${serverErrors.length} error lines; the last ones:\n${serverErrors.slice(-15).join("\n")}\n`);
    console.log(`\n${report}\n`);
    if (statementLines) console.log(`Statements per group message, steady phase (pg_stat_statements):\n${statementLines}\n`);
    if (args.out) await writeFile(args.out, `${report}\n${statementLines ? `\n\`\`\`\n${statementLines}\n\`\`\`\n` : ""}`);
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
