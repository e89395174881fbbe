// Time to the conversation list of the chat app opened with no network: a production server, one
// person with a conversation, the service worker controlling /chat and its caches filled by one
// online visit; then the browser goes offline (setOffline, and every request aborted, since
// setOffline alone may not cut the worker's own fetches) and /chat is opened RUNS times. Measured in
// the page: milliseconds from the navigation's start (performance.now()'s origin) until the first
// conversation row is on screen, which takes the worker's cached page and files, the engine with
// libsodium's WebAssembly, the offline unlock of the sealed store and its first read.
// Usage: npx tsx bench/chat/offline-start.ts [--port 3302] [--runs 10]
import { parseArgs } from "node:util";
import type { Browser, BrowserContext } from "playwright-core";
import { ensureBuild, newDataDir, removeDataDir, startServer, stopServer, waitForOk } from "../lib/serve";
import { launchBenchChromium } from "../lib/bench-browser";

const { values } = parseArgs({ options: { port: { type: "string", default: "3302" }, runs: { type: "string", default: "10" } } });
const RUNS = Number(values.runs);
const BUDGET_MS = 1_000;

async function signUp(context: BrowserContext, origin: string, handle: string): Promise<void> {
  const response = await context.request.post(`${origin}/api/trpc/auth.signUp`, {
    headers: { origin, "content-type": "application/json" },
    data: { handle, email: `${handle}@example.org`, password: "lantern orbit meadow" },
  });
  if (!response.ok()) throw new Error(`Sign-up of ${handle} failed: ${response.status()}`);
}

async function measure(browser: Browser, origin: string): Promise<number[]> {
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
    // One online visit under the worker: the page and every file it loads are cached.
    await page.goto("/chat");
    await list.first().waitFor({ timeout: 20_000 });

    await context.setOffline(true);
    await context.route("**/*", (route) => route.abort("internetdisconnected"));
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto("/chat", { waitUntil: "commit" });
      await list.first().waitFor({ timeout: 20_000 });
      times.push(await page.evaluate(() => performance.now()));
    }
    return times;
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
  let times: number[] = [];
  try {
    await waitForOk(server, "/login", { timeoutMs: 60_000 });
    browser = await launchBenchChromium();
    times = await measure(browser, server.url);
  } finally {
    await browser?.close();
    await stopServer(server);
    await removeDataDir(dataDir);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  console.log(`Runs: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
  console.log("| Opened offline | Runs | Median (ms) | p90 (ms) | Min (ms) | Max (ms) | Budget (ms) | Within |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  console.log(
    `| /chat to the first conversation row | ${times.length} | ${median.toFixed(0)} | ${percentile(sorted, 90).toFixed(0)} | ${sorted[0]!.toFixed(0)} | ${sorted.at(-1)!.toFixed(0)} | ${BUDGET_MS} | ${median < BUDGET_MS ? "yes" : "no"} |`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
