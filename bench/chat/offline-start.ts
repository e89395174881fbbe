// Time to the conversation list of the chat app opened with no network: a production server, one
// person with a conversation and an offline passphrase set in Messages settings, the service worker
// controlling /chat and its caches filled by one online visit; then the browser goes offline
// (setOffline, and every request aborted, since setOffline alone may not cut the worker's own
// fetches) and /chat is opened RUNS times, each time unlocked with the passphrase. Measured in the
// page (performance.now(), from the navigation's start): the time to the unlock screen (the worker's
// cached page and files, the engine with libsodium's WebAssembly), and from pressing Enter to the
// first conversation row (Argon2id, opening the sealed store, its first read); their sum is the
// start without the person's typing. Argon2id's own time is the storage's User Timing entry.
// Usage: npx tsx bench/chat/offline-start.ts [--port 3302] [--runs 10]
import { parseArgs } from "node:util";
import type { Browser, BrowserContext } from "playwright-core";
import { ensureBuild, newDataDir, removeDataDir, startServer, stopServer, waitForOk } from "../lib/serve";
import { launchBenchChromium } from "../lib/bench-browser";

const { values } = parseArgs({ options: { port: { type: "string", default: "3302" }, runs: { type: "string", default: "10" } } });
const RUNS = Number(values.runs);
const BUDGET_MS = 1_000;
const PASSPHRASE = "bench lantern ferry dusk";
/** app/_chat/storage/offline-unlock.ts's ARGON2ID_MEASURE. */
const ARGON2ID_MEASURE = "hearth-offline-unlock-argon2id";

interface Run {
  toScreen: number;
  unlock: number;
  argon2id: number;
}

async function signUp(context: BrowserContext, origin: string, handle: string): Promise<void> {
  const response = await context.request.post(`${origin}/api/trpc/auth.signUp`, {
    headers: { origin, "content-type": "application/json" },
    data: { handle, email: `${handle}@example.org`, password: "lantern orbit meadow" },
  });
  if (!response.ok()) throw new Error(`Sign-up of ${handle} failed: ${response.status()}`);
}

async function measure(browser: Browser, origin: string): Promise<Run[]> {
  const suffix = Date.now().toString(36);
  const bobContext = await browser.newContext();
  await signUp(bobContext, origin, `bench_bob_${suffix}`);
  await bobContext.close();
  const context = await browser.newContext({ baseURL: origin });
  try {
    await signUp(context, origin, `bench_alice_${suffix}`);
    const page = await context.newPage();
    const list = page.getByTestId("conversation");
    await page.goto("/chat");
    await page.getByTestId("conversations-empty").or(list).first().waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    await page.goto(`/chat/@bench_bob_${suffix}`);
    const composer = page.getByRole("textbox", { name: "Message", exact: true });
    await composer.fill("a first message, so that the list has a row");
    await composer.press("Enter");
    await page.getByTestId("message").first().waitFor();
    await page.goto("/chat/settings");
    await page.getByLabel("Offline passphrase", { exact: true }).fill(PASSPHRASE);
    await page.getByLabel("Repeat the offline passphrase").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Set offline passphrase" }).click();
    await page.getByText("Offline passphrase saved.").waitFor({ timeout: 30_000 });
    // One online visit under the worker: the page and every file it loads are cached.
    await page.goto("/chat");
    await list.first().waitFor({ timeout: 20_000 });

    await context.setOffline(true);
    await context.route("**/*", (route) => route.abort("internetdisconnected"));
    const field = page.getByTestId("offline-passphrase-input");
    const runs: Run[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto("/chat", { waitUntil: "commit" });
      await field.waitFor({ timeout: 20_000 });
      const toScreen = await page.evaluate(() => performance.now());
      await field.fill(PASSPHRASE);
      const submittedAt = await page.evaluate(() => performance.now());
      await field.press("Enter");
      await list.first().waitFor({ timeout: 20_000 });
      const listedAt = await page.evaluate(() => performance.now());
      const argon2id = await page.evaluate((name) => performance.getEntriesByName(name).at(-1)?.duration ?? Number.NaN, ARGON2ID_MEASURE);
      runs.push({ toScreen, unlock: listedAt - submittedAt, argon2id });
    }
    return runs;
  } finally {
    await context.close();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  ensureBuild();
  const dataDir = await newDataDir();
  const server = await startServer({ port: Number(values.port), dataDir });
  let browser: Browser | undefined;
  let runs: Run[] = [];
  try {
    await waitForOk(server, "/login", { timeoutMs: 60_000 });
    browser = await launchBenchChromium();
    runs = await measure(browser, server.url);
  } finally {
    await browser?.close();
    await stopServer(server);
    await removeDataDir(dataDir);
  }
  const total = runs.map((run) => run.toScreen + run.unlock);
  console.log(`Runs (to the list, without typing): ${total.map((t) => t.toFixed(0)).join(", ")} ms`);
  console.log("| Opened offline | Runs | Median (ms) | p90 (ms) | Min (ms) | Max (ms) | Budget (ms) | Within |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  const row = (label: string, times: number[], budget: number | null) => {
    const sorted = [...times].sort((a, b) => a - b);
    const median = percentile(sorted, 50);
    const within = budget === null ? "" : median < budget ? "yes" : "no";
    console.log(
      `| ${label} | ${times.length} | ${median.toFixed(0)} | ${percentile(sorted, 90).toFixed(0)} | ${sorted[0]!.toFixed(0)} | ${sorted.at(-1)!.toFixed(0)} | ${budget ?? ""} | ${within} |`,
    );
  };
  row(
    "/chat to the unlock screen",
    runs.map((run) => run.toScreen),
    null,
  );
  row(
    "Enter to the first conversation row",
    runs.map((run) => run.unlock),
    null,
  );
  row(
    "of which Argon2id (2 passes, 64 MiB)",
    runs.map((run) => run.argon2id),
    null,
  );
  row("/chat to the first conversation row, without typing", total, BUDGET_MS);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
