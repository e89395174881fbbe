// Load (issue 16, item 6): simulated people using Hearth at once, with a realistic mix, against
// the production build on the embedded database; zero errors and zero lost messages, or exit 1.
//
//   npx tsx bench/load/run.ts             # full form: 200 people for 5 minutes
//   npx tsx bench/load/run.ts --short     # CI's form (scripts/test.ts): 50 people for 30 s
//   options: --people 200 --seconds 300 --port <free> --build --keep --out <file.md>
// CI's form is a quarter of the people (the same mix per person) so that it passes on a shared
// 2-core runner: at 200 people the app needs about half a core to itself (docs/benchmarks.md).
//
// 1. A fresh embedded PostgreSQL in a temporary folder, migrated; the people written by SQL as the
//    other benchmarks write them (bench/chat/delivery-accounts.ts: account, profile, session, one
//    chat device), each following 20 others who have 10 posts each (load-world.ts). Signing 200
//    people up through the API is not part of the mix: sign-up is limited per client address (10
//    an hour), and a load driver on one machine could pass that only by forging addresses. Nothing
//    in the mix is limited per address; every per-account limit is far above what each person
//    does here (see MIX), so a 429 is an error like any other.
// 2. scripts/start.ts serving the build on 127.0.0.1 (bench/lib/app-server.ts).
// 3. Every person's chat stream (SSE) open, then, for the duration, at once:
//    - autocannon (autocannon-actions.ts): home timeline reads and likes, each at its rate;
//    - an open-loop driver (chat-load.ts): posts, sealed 1:1 messages to the person's contacts,
//      received over their streams and acknowledged, and attachment uploads, downloaded by the
//      recipient.
// 4. Afterwards: every message received exactly once and decrypting to the text sent, every
//    attachment downloaded whole; p50 and p99 per action and the machine's load average.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";
import { createChatHttp } from "../chat/chat-http";
import { createChatAccounts } from "../chat/delivery-accounts";
import { freePort } from "../../scripts/free-port";
import { ensureBuild, startAppServer } from "../lib/app-server";
import { CleanUp } from "../lib/clean-up";
import { summarize } from "../lib/latency-summary";
import { cpuBetween, cpuSnapshot } from "../timeline/cpu-time";
import { runSocialAction, socialActions, type ActionResult } from "./autocannon-actions";
import { ChatLoad, openLoop, prepareChatPeople } from "./chat-load";
import { writeLoadWorld } from "./load-world";

const { values: args } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    people: { type: "string" },
    seconds: { type: "string" },
    port: { type: "string" },
    build: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    out: { type: "string" },
  },
});

const PEOPLE = Number(args.people ?? (args.short ? 50 : 200));
const SECONDS = Number(args.seconds ?? (args.short ? 30 : 300));

/**
 * Seconds between one person's actions of each kind, on average: someone with the app open who
 * scrolls the timeline twice a minute, likes a post a minute, writes a chat message every 20 s
 * and a post and a file every 10 minutes. Per person and hour that is 6 posts (limit 300), 6
 * attachments (limit 120) and 180 messages (limit 600 a minute).
 */
const MIX = { timelineRead: 30, like: 60, message: 20, post: 600, attachment: 600 };
const FOLLOWS_PER_PERSON = 20;
const POSTS_PER_PERSON = 10;
/** Each person writes to this many contacts (and hears from as many). */
const CONTACTS = 3;
/** A phone photo, encrypted. */
const ATTACHMENT_BYTES = 512 * 1024;
/** Longer than the stream's 25 s re-read, as in the delivery benchmark. */
const SETTLE_MS = 40_000;

const log = (line: string) => console.log(`[load] ${line}`);
const cleanUp = new CleanUp(log);

async function main(): Promise<void> {
  if (!Number.isInteger(PEOPLE) || PEOPLE < 2 || !(SECONDS > 0)) throw new Error("--people must be 2 or more and --seconds above 0");
  await ensureBuild({ force: args.build, log });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "hearth-load-"));
  if (!args.keep) cleanUp.push(() => rm(dataDir, { recursive: true, force: true }));
  const database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_load", port: await freePort() });
  cleanUp.push(() => database.stop());
  await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
  const accounts = await createChatAccounts(database.url, PEOPLE);
  const postIds = await writeLoadWorld(database.url, accounts, { followsPerPerson: FOLLOWS_PER_PERSON, postsPerPerson: POSTS_PER_PERSON });
  const keysStarted = performance.now();
  const people = await prepareChatPeople(accounts, CONTACTS);
  log(`${PEOPLE} people with keys and ${PEOPLE * CONTACTS} sessions in ${((performance.now() - keysStarted) / 1000).toFixed(1)} s.`);

  // No calls in the mix: naming a LiveKit server (never contacted) keeps scripts/start.ts from starting one.
  Object.assign(process.env, { LIVEKIT_URL: "ws://127.0.0.1:9", LIVEKIT_API_KEY: "load-unused", LIVEKIT_API_SECRET: randomBytes(32).toString("hex") });
  const port = args.port ? Number(args.port) : await freePort();
  const app = await startAppServer({ databaseUrl: database.url, dataDir, port, log });
  cleanUp.push(() => app.stop());
  const client = createChatHttp(app.origin);
  cleanUp.push(async () => client.close());
  const chat = new ChatLoad(app.origin, people, client, ATTACHMENT_BYTES);
  cleanUp.push(async () => chat.close());
  await chat.openStreams();
  log(`${PEOPLE} chat streams open.`);

  const rate = (secondsBetween: number) => PEOPLE / secondsBetween;
  const loadSamples: number[] = [os.loadavg()[0]!];
  const sampler = setInterval(() => loadSamples.push(os.loadavg()[0]!), 10_000);
  log(`Running the mix for ${SECONDS} s…`);
  const started = performance.now();
  const cpuBefore = cpuSnapshot({ appProcessGroup: app.processGroup, dataDir });
  const actions = socialActions({ timelineRate: rate(MIX.timelineRead), likeRate: rate(MIX.like), postIds });
  const [social] = await Promise.all([
    Promise.all(actions.map((action) => runSocialAction({ origin: app.origin, people: accounts, action, seconds: SECONDS }))),
    openLoop(rate(MIX.post), SECONDS, () => chat.post()),
    openLoop(rate(MIX.message), SECONDS, () => chat.sendMessage()),
    openLoop(rate(MIX.attachment), SECONDS, () => chat.sendAttachment()),
  ]);
  await chat.settle(SETTLE_MS);
  const ranSeconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, cpuSnapshot({ appProcessGroup: app.processGroup, dataDir }));
  clearInterval(sampler);
  loadSamples.push(os.loadavg()[0]!);
  const tally = chat.tally();
  const decrypted = await chat.decryptAll();

  const chatRow = (action: string, latencies: number[], failureKinds: string[]): ActionResult => {
    const summary = summarize(Float64Array.from(latencies), ranSeconds);
    const errors = failureKinds.reduce((sum, kind) => sum + (chat.failures.kinds.get(kind)?.count ?? 0), 0);
    return { action, requests: summary.count, errors, errorKinds: {}, p50: summary.p50, p99: summary.p99, max: summary.max };
  };
  const rows: ActionResult[] = [
    social[0]!,
    chatRow("post", chat.postLatencies, ["post failed"]),
    ...social.slice(1),
    chatRow("message send", chat.sendLatencies, ["message send failed", "sealing failed"]),
    chatRow("message delivery (send to SSE arrival)", chat.deliveryLatencies, []),
    chatRow(`attachment upload (${ATTACHMENT_BYTES / 1024} KiB: create + PATCH)`, chat.uploadLatencies, ["attachment failed"]),
    chatRow("attachment download (recipient's GET)", chat.downloadLatencies, []),
  ];
  const socialErrors = social.reduce((sum, row) => sum + row.errors, 0);
  const chatErrors = [...chat.failures.kinds.values()].reduce((sum, entry) => sum + entry.count, 0);
  const failed =
    socialErrors > 0 ||
    chatErrors > 0 ||
    tally.lost > 0 ||
    tally.duplicated > 0 ||
    tally.unansweredTwice > 0 ||
    decrypted !== tally.once + tally.unansweredArrived;

  const report = [
    `${PEOPLE} people for ${SECONDS} s (ran ${ranSeconds.toFixed(1)} s), ${os.cpus().length} cores, load average (1 min) ${Math.min(...loadSamples).toFixed(1)}–${Math.max(...loadSamples).toFixed(1)} during the run`,
    `CPU while the mix ran and settled, in cores (CPU seconds a second): app ${(cpu.appMs / 1000 / ranSeconds).toFixed(2)}, PostgreSQL ${(cpu.databaseMs / 1000 / ranSeconds).toFixed(2)}, this driver ${(cpu.benchMs / 1000 / ranSeconds).toFixed(2)}`,
    "",
    "| Action | Requests | Per second | Errors | p50 (ms) | p99 (ms) | Max (ms) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) => `| ${r.action} | ${r.requests} | ${(r.requests / ranSeconds).toFixed(1)} | ${r.errors} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} |`,
    ),
    "",
    `Messages: ${tally.sent} acknowledged by the server, ${tally.once} of them received exactly once, ${tally.lost} lost, ${tally.duplicated} received twice; ` +
      `${tally.unanswered} sends unanswered (errors above), of which ${tally.unansweredArrived} were stored and received all the same (${tally.unansweredTwice} twice); ` +
      `${decrypted} envelopes decrypted to the text sent. ` +
      `Attachments: ${chat.attachmentsDone} uploaded, downloaded whole and marked fetched.`,
  ];
  for (const row of social) for (const [kind, count] of Object.entries(row.errorKinds)) report.push(`- ${row.action}: ${count} × ${kind}`);
  for (const [kind, entry] of chat.failures.kinds) report.push(`- ${kind}: ${entry.count} (e.g. ${entry.examples.join("; ")})`);
  const serverErrors = app.errorLines();
  if (serverErrors.length) report.push("", `The server printed ${serverErrors.length} error-like lines; the last: ${serverErrors.slice(-3).join(" | ")}`);
  console.log(`\n${report.join("\n")}\n`);
  if (args.out) await writeFile(args.out, `${report.join("\n")}\n`);
  await cleanUp.run();
  log(failed ? "FAILED: errors or lost messages (see above)." : "No errors, nothing lost.");
  process.exit(failed ? 1 : 0);
}

function fmt(ms: number): string {
  return Number.isFinite(ms) ? (ms < 10 ? ms.toFixed(1) : ms.toFixed(0)) : "–";
}

// A crash must not leave the app server (its own process group) or the database running.
await main().catch(async (error: unknown) => {
  console.error(error);
  await cleanUp.run();
  log("FAILED: the run broke off (see above).");
  process.exit(1);
});
