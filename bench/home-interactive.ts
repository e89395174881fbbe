// When home starts to work, on a slow phone: Chromium throttled to a quarter of this machine's CPU
// and a 1.6 Mbit/s, 150 ms link (Lighthouse's mobile profile). For each visit, in a fresh context
// (nothing cached), the first contentful paint and the moment the home composer takes typing: a
// script in the page types a letter into it every 10 ms and counts it taken once the composer's
// Post button comes alive (typing that React has not seen leaves it disabled, and is wiped before
// the next try). Home's first load was cut by loading its column's code beside the page rather than
// in it (docs/benchmarks.md); this measures what that does to the person waiting.
// Usage: npx tsx bench/home-interactive.ts [--port 3302] [--visits 7]
import { parseArgs } from "node:util";
import { ensureBuild, newDataDir, removeDataDir, startServer, stopServer, waitForOk } from "./lib/serve";
import { launchBenchChromium } from "./lib/bench-browser";

const { values } = parseArgs({ options: { port: { type: "string", default: "3302" }, visits: { type: "string", default: "7" } } });

const CPU_SLOWDOWN = 4;
const NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 };

/**
 * Runs in the page from its first script on: records when typing into the composer first works.
 * A string, not a function: tsx would add helpers to a function's body that the page does not have.
 */
const WATCH_COMPOSER = `(() => {
  const state = { typedAt: 0, worksAt: 0 };
  window.__composer = state;
  const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
  const type = (area, text) => {
    setValue.call(area, text);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const timer = setInterval(() => {
    const area = document.querySelector('[data-composer-textarea="primary"]');
    if (!area || area.matches(":disabled")) return;
    const post = area.form && area.form.querySelector('button[type="submit"]');
    if (state.typedAt && post && !post.disabled) {
      state.worksAt = performance.now();
      clearInterval(timer);
    } else if (state.typedAt && performance.now() - state.typedAt > 50) {
      type(area, ""); // Not taken: wipe it and try again.
      state.typedAt = 0;
    } else if (!state.typedAt) {
      type(area, "x");
      state.typedAt = performance.now();
    }
  }, 10);
})();`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  ensureBuild();
  const dataDir = await newDataDir();
  const server = await startServer({ port: Number(values.port), dataDir });
  const browser = await launchBenchChromium();
  const paints: number[] = [];
  const composer: number[] = [];
  try {
    await waitForOk(server, "/login", { timeoutMs: 60_000 });
    const origin = server.url;
    const signingUp = await browser.newContext();
    const handle = `bench_${Date.now().toString(36)}`;
    const signUp = await signingUp.request.post(`${origin}/api/trpc/auth.signUp`, {
      headers: { origin, "content-type": "application/json" },
      data: { handle, email: `${handle}@example.org`, password: "lantern orbit meadow" },
    });
    if (!signUp.ok()) throw new Error(`Sign-up failed: ${signUp.status()}`);
    const storageState = await signingUp.storageState();
    await signingUp.close();

    // One unthrottled visit first, so that the server has compiled and cached what it serves.
    for (let visit = 0; visit <= Number(values.visits); visit++) {
      const context = await browser.newContext({ storageState });
      const page = await context.newPage();
      await page.addInitScript(WATCH_COMPOSER);
      if (visit > 0) {
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", NETWORK);
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
      }
      await page.goto(`${origin}/`, { waitUntil: "domcontentloaded", timeout: 120_000 });
      await page.waitForFunction(() => (window as unknown as { __composer: { worksAt: number } }).__composer.worksAt > 0, undefined, {
        timeout: 120_000,
        polling: 100,
      });
      const { paint, works } = await page.evaluate(() => ({
        paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
        works: (window as unknown as { __composer: { worksAt: number } }).__composer.worksAt,
      }));
      if (visit > 0) {
        paints.push(paint);
        composer.push(works);
        console.error(`visit ${visit}: first paint ${paint.toFixed(0)} ms, composer takes typing at ${works.toFixed(0)} ms`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await stopServer(server);
    await removeDataDir(dataDir);
  }
  console.log(`| Visits | First contentful paint, median (ms) | Composer takes typing, median (ms) | range (ms) |`);
  console.log(`| ---: | ---: | ---: | ---: |`);
  console.log(
    `| ${composer.length} | ${median(paints).toFixed(0)} | ${median(composer).toFixed(0)} | ${Math.min(...composer).toFixed(0)}–${Math.max(...composer).toFixed(0)} |`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
