// Calls (issue 12): set-up time and CPU of video calls, on loopback, in headless Chromium with fake
// camera and microphone, against the production build started by scripts/start.ts (the run command,
// which starts the local LiveKit server beside the app) on a fresh embedded PostgreSQL.
//
//  1. Set-up: two people signed up and set up for messaging through the UI. The caller clicks the
//     video-call button in their conversation; the other accepts the ring from the conversation list.
//     Measured from the click until a remote <video> in a call tile has a decoded frame on both
//     sides (polled every 20 ms in each page), over --runs calls.
//  2. CPU per second of call, over --seconds after a warm-up, summed over every Chromium process and
//     over the LiveKit server: the app's own 1:1 call (always end-to-end encrypted), then 2 and 4
//     participants joined with livekit-client directly (the app has no switch to turn encryption
//     off), with the app's room options, with E2EE (a shared key, the app's E2EE worker) and without.
//     Tokens come from calls.join, as the app's call page asks for them.
//
// Usage: npx tsx bench/chat/calls.ts [--runs 10] [--seconds 20] [--build]
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import type * as LivekitClient from "livekit-client";
import type { E2EEOptions } from "livekit-client";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startEmbeddedPostgres } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";
import { toolEnv } from "../../scripts/tool-env";
import { startAppServer, type AppServer } from "../lib/app-server";
import { callCpuSnapshot, type CallCpuSnapshot } from "./call-cpu";
import { ensureCurrentBuild } from "./current-build";
import { describeCheckout } from "./describe-checkout";
import { freePort } from "../../scripts/free-port";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "10" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "5" },
    build: { type: "boolean", default: false },
  },
});
const RUNS = Number(args.runs);
const CPU_SECONDS = Number(args.seconds);
const WARMUP_SECONDS = Number(args.warmup);
/** The e2e calls journey's flags (playwright.config.ts CHROMIUM_ARGS plus fake media). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
];
const ROOM_PATH = /\/chat\/call\/([0-9a-f]{32})$/;
const PASSWORD = "lantern orbit meadow";

const log = (line: string) => console.error(`[calls] ${line}`);

interface Person {
  handle: string;
  context: BrowserContext;
  page: Page;
}

async function signUpPerson(browser: Browser, origin: string, handle: string): Promise<Person> {
  const context = await browser.newContext({ baseURL: origin, bypassCSP: true });
  const page = await context.newPage();
  await page.goto("/signup");
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Email").fill(`${handle}@bench.invalid`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: `Welcome, ${handle}` }).waitFor({ timeout: 30_000 });
  return { handle, context, page };
}

/** As e2e/chat/chat.ts setUpMessages: opens Messages until it runs (a first browser sets itself up), confirming a new identity if asked. */
async function setUpMessages(page: Page): Promise<void> {
  await page.goto("/chat");
  const setUp = page.getByRole("button", { name: "Set up messaging on this browser" });
  const ready = page.getByTestId("conversation-list").or(page.getByTestId("conversations-empty"));
  await setUp.or(ready).first().waitFor({ timeout: 30_000 });
  if (await setUp.isVisible()) {
    await setUp.click();
    const confirm = page.getByRole("button", { name: "Start a new identity" });
    await confirm.or(ready).first().waitFor({ timeout: 30_000 });
    if (await confirm.isVisible()) await confirm.click();
  }
  await ready.first().waitFor({ timeout: 30_000 });
}

/** Resolves once a remote video in one of the page's call tiles has a decoded frame. */
function firstRemoteFrame(page: Page): Promise<unknown> {
  return page.waitForFunction(
    () =>
      [...document.querySelectorAll<HTMLVideoElement>('[data-testid="call-tile"] video')].some(
        (video) => video.readyState >= 2 || video.getVideoPlaybackQuality().totalVideoFrames > 0,
      ),
    null,
    { polling: 20, timeout: 60_000 },
  );
}

interface SetUp {
  /** Click to a decoded remote frame on both sides. */
  totalMs: number;
  /** Click to the ring (its Accept button) showing on the callee's conversation list. */
  ringMs: number;
}

/** One call from the caller's conversation, timed. Leaves the call up. */
async function timeOneSetUp(caller: Person, callee: Person): Promise<SetUp> {
  await callee.page.goto("/chat");
  await callee.page.getByTestId("conversation-list").or(callee.page.getByTestId("conversations-empty")).first().waitFor({ timeout: 30_000 });
  await caller.page.goto(`/chat/@${callee.handle}`);
  await caller.page.getByTestId("conversation-view").waitFor({ timeout: 30_000 });
  const button = caller.page.getByTestId("video-call-button");
  await button.waitFor({ timeout: 30_000 });
  const accept = callee.page.getByTestId("incoming-call").getByRole("button", { name: "Accept" });
  let ringMs = 0;
  const started = performance.now();
  await button.click();
  // The ring is watched every 20 ms in the page, so the callee answers as soon as it shows.
  const answered = callee.page
    .waitForFunction(() => [...document.querySelectorAll('[data-testid="incoming-call"] button')].some((b) => b.textContent?.trim() === "Accept"), null, {
      polling: 20,
      timeout: 30_000,
    })
    .then(() => {
      ringMs = performance.now() - started;
      return accept.click({ timeout: 30_000 });
    });
  await Promise.all([
    caller.page.waitForURL(ROOM_PATH, { timeout: 30_000 }).then(() => firstRemoteFrame(caller.page)),
    answered.then(() => callee.page.waitForURL(ROOM_PATH, { timeout: 30_000 }).then(() => firstRemoteFrame(callee.page))),
  ]);
  return { totalMs: performance.now() - started, ringMs };
}

async function hangUp(caller: Person, callee: Person): Promise<void> {
  await caller.page.getByRole("button", { name: "Leave call" }).click();
  await Promise.all([caller, callee].map((person) => person.page.getByTestId("call-over").waitFor({ timeout: 30_000 })));
}

/**
 * Joins `room` from the person's browser with livekit-client directly (the UMD build, in the app's
 * call page, the one page allowed the camera), with the app's room options, and publishes camera
 * and microphone; with `key`, end-to-end encrypted with it through the app's E2EE worker.
 */
async function joinDirectly(person: Person, room: string, key: number[] | null, maxParticipants: number): Promise<void> {
  const { page } = person;
  await page.goto(`/chat/call/${room}`);
  await page.addScriptTag({ path: path.join(process.cwd(), "node_modules", "livekit-client", "dist", "livekit-client.umd.js") });
  await page.evaluate(
    async ({ roomName, keyBytes, max }) => {
      const response = await fetch("/api/trpc/calls.join?batch=1", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ 0: { room: roomName, kind: "video", maxParticipants: max } }),
      });
      const [answer] = (await response.json()) as [{ result: { data: { url: string; token: string } } }];
      const { url, token } = answer.result.data;
      // The UMD build's global: no types for it in a page.
      const lk = (window as unknown as { LivekitClient: typeof LivekitClient }).LivekitClient;
      let encryption: E2EEOptions | undefined;
      if (keyBytes) {
        const keyProvider = new lk.ExternalE2EEKeyProvider();
        await keyProvider.setKey(new Uint8Array(keyBytes).buffer);
        encryption = { keyProvider, worker: new Worker("/chat/call/e2ee-worker.js") };
      }
      const room = new lk.Room({
        ...(encryption ? { encryption } : {}),
        adaptiveStream: false,
        dynacast: true,
        videoCaptureDefaults: { resolution: lk.VideoPresets.h540.resolution },
      });
      // Every remote video goes into a <video>, as the app's tiles show it.
      room.on(lk.RoomEvent.TrackSubscribed, (track) => {
        if (track.kind === "video") document.body.append(track.attach());
      });
      if (encryption) await room.setE2EEEnabled(true);
      await room.connect(url, token, { rtcConfig: { iceServers: [] } });
      await room.localParticipant.enableCameraAndMicrophone();
      Object.assign(window, { benchRoom: room });
    },
    { roomName: room, keyBytes: key, max: maxParticipants },
  );
}

/** Waits until every person's page has a decoded frame from each of the others. */
async function allDecoding(people: Person[]): Promise<void> {
  await Promise.all(
    people.map(({ page }) =>
      page.waitForFunction(
        (others) => [...document.querySelectorAll<HTMLVideoElement>("body > video")].filter((video) => video.readyState >= 2).length >= others,
        people.length - 1,
        { polling: 100, timeout: 60_000 },
      ),
    ),
  );
}

async function leaveDirectly(people: Person[]): Promise<void> {
  await Promise.all(
    people.map(async ({ page }) => {
      await page.evaluate(() => (window as unknown as { benchRoom?: { disconnect(): Promise<void> } }).benchRoom?.disconnect());
      await page.goto("about:blank");
    }),
  );
}

interface CpuFigure {
  label: string;
  chromiumPerSecond: number;
  livekitPerSecond: number;
  appPerSecond: number;
}

/** CPU ms per second of wall time over the window, after a warm-up. */
async function measureCpu(label: string, server: AppServer): Promise<CpuFigure> {
  await sleep(WARMUP_SECONDS * 1000);
  const take = (): CallCpuSnapshot => callCpuSnapshot({ benchPid: process.pid, appProcessGroup: server.processGroup });
  const before = take();
  const started = performance.now();
  await sleep(CPU_SECONDS * 1000);
  const after = take();
  const seconds = (performance.now() - started) / 1000;
  const figure = {
    label,
    chromiumPerSecond: (after.chromiumMs - before.chromiumMs) / seconds,
    livekitPerSecond: (after.livekitMs - before.livekitMs) / seconds,
    appPerSecond: (after.appMs - before.appMs) / seconds,
  };
  log(
    `${label}: Chromium ${figure.chromiumPerSecond.toFixed(0)} + LiveKit ${figure.livekitPerSecond.toFixed(0)} ms CPU/s (app server ${figure.appPerSecond.toFixed(0)})`,
  );
  return figure;
}

function randomRoom(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs must be a positive integer.");
  const stack: (() => Promise<unknown>)[] = [];
  try {
    await ensureCurrentBuild({ force: args.build ?? false, log });
    const commit = describeCheckout();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "hearth-bench-calls-"));
    stack.push(() => rm(dataDir, { recursive: true, force: true }));
    const database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_bench" });
    stack.push(() => database.stop());
    await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations"), log });
    const server = await startAppServer({ databaseUrl: database.url, dataDir, port: await freePort(), log });
    stack.push(() => server.stop());

    const browser = await chromium.launch({ executablePath: toolEnv().CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS });
    stack.push(() => browser.close());
    const version = browser.version();
    const suffix = Date.now().toString(36);
    const [alice, bob] = await Promise.all(["a", "b"].map((who) => signUpPerson(browser, server.origin, `bench_call_${who}_${suffix}`)));
    await Promise.all([setUpMessages(alice!.page), setUpMessages(bob!.page)]);
    log("Two people signed up and set up for messaging.");

    // 1. Set-up time, click to first remote frame decoded on both sides.
    const setUps: number[] = [];
    const rings: number[] = [];
    const loadBefore = os.loadavg();
    for (let run = 0; run < RUNS; run++) {
      const { totalMs, ringMs } = await timeOneSetUp(alice!, bob!);
      setUps.push(totalMs);
      rings.push(ringMs);
      log(`set-up ${run + 1}/${RUNS}: ${totalMs.toFixed(0)} ms (ring shown after ${ringMs.toFixed(0)} ms)`);
      // The last call stays up: its CPU is measured next.
      if (run < RUNS - 1) await hangUp(alice!, bob!);
    }
    const cpu: CpuFigure[] = [await measureCpu("2 people, the app's call (E2EE)", server)];
    await hangUp(alice!, bob!);
    await Promise.all([alice, bob].map((person) => person!.page.goto("about:blank")));

    // 2. CPU of 2 and 4 participants joined directly, with and without E2EE.
    const others = await Promise.all(["c", "d"].map((who) => signUpPerson(browser, server.origin, `bench_call_${who}_${suffix}`)));
    const everyone = [alice!, bob!, ...others];
    for (const size of [2, 4]) {
      for (const encrypted of [true, false]) {
        const people = everyone.slice(0, size);
        const room = randomRoom();
        const key = encrypted ? [...crypto.getRandomValues(new Uint8Array(32))] : null;
        for (const person of people) await joinDirectly(person, room, key, size === 2 ? 3 : size);
        await allDecoding(people);
        cpu.push(await measureCpu(`${size} people, livekit-client ${encrypted ? "with" : "without"} E2EE`, server));
        await leaveDirectly(people);
      }
    }

    const loadAfter = os.loadavg();
    const sorted = [...setUps].sort((a, b) => a - b);
    const sortedRings = [...rings].sort((a, b) => a - b);
    const cores = os.cpus();
    console.log(`\n## Calls: ${new Date().toISOString()}, ${commit}`);
    console.log(
      `Machine: ${cores.length} × ${cores[0]?.model ?? "?"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; Chromium ${version}; Node ${process.version}`,
    );
    console.log(
      `\nSet-up, click to first remote frame decoded on both sides, ${setUps.length} runs: p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
    );
    console.log(`Runs (ms): ${setUps.map((ms) => ms.toFixed(0)).join(", ")}`);
    console.log(`Of which click to the ring showing at the callee: p50 ${percentile(sortedRings, 50).toFixed(0)} ms, max ${sortedRings.at(-1)!.toFixed(0)} ms`);
    console.log(
      `Load average (1, 5, 15 min) at the start: ${loadBefore.map((l) => l.toFixed(2)).join(", ")}; at the end: ${loadAfter.map((l) => l.toFixed(2)).join(", ")}`,
    );
    console.log(`\nCPU per second of call (${CPU_SECONDS} s after ${WARMUP_SECONDS} s warm-up), ms CPU/s:`);
    console.log("| Call | Chromium (all processes) | LiveKit server | Sum | App server |");
    console.log("|---|---:|---:|---:|---:|");
    for (const row of cpu) {
      const sum = row.chromiumPerSecond + row.livekitPerSecond;
      console.log(
        `| ${row.label} | ${row.chromiumPerSecond.toFixed(0)} | ${row.livekitPerSecond.toFixed(0)} | ${sum.toFixed(0)} | ${row.appPerSecond.toFixed(0)} |`,
      );
    }
  } finally {
    for (const undo of stack.reverse()) await undo().catch((error: unknown) => log(`clean-up: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
