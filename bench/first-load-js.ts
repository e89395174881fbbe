// First-load JavaScript: every same-origin script a signed-out visitor's browser loads for /login
// and /signup until the network is idle, raw and gzipped (zlib level 9, as a typical server would).
// Usage: npx tsx bench/first-load-js.ts [--port 3301]
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium, type Browser } from "playwright-core";
import { ensureBuild, newDataDir, removeDataDir, startServer, stopServer, waitForOk } from "./lib/serve";

const { values } = parseArgs({ options: { port: { type: "string", default: "3301" } } });
/** Pages measured signed out, and (after signing up in the same context) signed in. */
const PAGES: { path: string; signedIn: boolean }[] = [
  { path: "/login", signedIn: false },
  { path: "/signup", signedIn: false },
  { path: "/", signedIn: true },
];
const BUDGET_KB = 150;

interface Script {
  path: string;
  raw: number;
  gzipped: number;
}

/** The scripts one visit to `pathname` loads, in a fresh context so that nothing comes from cache. */
async function scriptsOf(browser: Browser, origin: string, pathname: string, signedIn: boolean): Promise<Script[]> {
  const context = await browser.newContext();
  try {
    if (signedIn) {
      // A new account through the API: the session cookie lands in this context's jar.
      const handle = `bench_${Date.now().toString(36)}`;
      const signUp = await context.request.post(`${origin}/api/trpc/auth.signUp`, {
        headers: { origin, "content-type": "application/json" },
        data: { json: { handle, email: `${handle}@example.org`, password: "lantern orbit meadow" } },
      });
      if (!signUp.ok()) throw new Error(`Sign-up for ${pathname} failed: ${signUp.status()}`);
    }
    const page = await context.newPage();
    const bodies = new Map<string, Promise<Buffer | Error>>();
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (response.request().resourceType() !== "script" || url.origin !== origin || bodies.has(url.pathname)) return;
      // Read each body right away, as Chromium may drop it later; a failure surfaces below rather
      // than as an unhandled rejection.
      bodies.set(url.pathname, response.body().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
    });
    const response = await page.goto(origin + pathname, { waitUntil: "networkidle", timeout: 30_000 });
    if (response?.status() !== 200) throw new Error(`${pathname} answered ${response?.status()}`);
    const scripts: Script[] = [];
    for (const [path, body] of bodies) {
      const bytes = await body; // Decoded, whatever Content-Encoding the server used.
      if (bytes instanceof Error) throw new Error(`Could not read ${path}: ${bytes.message}`);
      scripts.push({ path, raw: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length });
    }
    return scripts.sort((a, b) => b.gzipped - a.gzipped);
  } finally {
    await context.close();
  }
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1);
const sum = (scripts: Script[], key: "raw" | "gzipped") => scripts.reduce((total, s) => total + s[key], 0);

async function main(): Promise<void> {
  ensureBuild();
  const dataDir = await newDataDir();
  const server = await startServer({ port: Number(values.port), dataDir });
  let browser: Browser | undefined;
  const results = new Map<string, Script[]>();
  try {
    await waitForOk(server, "/login", { timeoutMs: 60_000 });
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      timeout: 30_000,
    });
    for (const { path: pathname, signedIn } of PAGES) results.set(pathname, await scriptsOf(browser, server.url, pathname, signedIn));
  } finally {
    await browser?.close();
    await stopServer(server);
    await removeDataDir(dataDir);
  }

  console.log(`| Page | Scripts | Raw (kB) | Gzipped (kB) | Within ${BUDGET_KB} kB gzipped |`);
  console.log("| --- | ---: | ---: | ---: | --- |");
  for (const [pathname, scripts] of results) {
    const gzipped = sum(scripts, "gzipped");
    console.log(`| ${pathname} | ${scripts.length} | ${kB(sum(scripts, "raw"))} | ${kB(gzipped)} | ${gzipped < BUDGET_KB * 1000 ? "yes" : "no"} |`);
  }
  for (const [pathname, scripts] of results) {
    console.log(`\n${pathname}: ${sum(scripts, "gzipped").toLocaleString("en-US")} B gzipped, ${sum(scripts, "raw").toLocaleString("en-US")} B raw. Largest first:\n`);
    console.log("| Script | Raw (kB) | Gzipped (kB) |");
    console.log("| --- | ---: | ---: |");
    for (const s of scripts) console.log(`| \`${s.path}\` | ${kB(s.raw)} | ${kB(s.gzipped)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
