// First-load JavaScript: the same-origin scripts the page's HTML names (what must load before the
// page works), raw and gzipped (zlib level 9, as a typical server would), for /login and /signup
// signed out and for / and /chat signed in. Scripts loaded later (dynamic imports, such as the chat
// engine with libsodium) are reported apart, as "later"; of those, the ones the HTML asks the browser
// to preload (a part the server rendered whose code is split off, such as the composer) are also
// counted as "preloaded": fetched alongside the page, but not needed for it to start working.
// With --check, exits with 1 when a measured page's first load is over its budget (design.md: home
// under 150 kB gzipped, chat under 160 kB before the crypto), after printing the figures; --pages
// measures only the pages listed. `npm test` checks all four.
// Usage: npx tsx bench/first-load-js.ts [--port 3301] [--check] [--pages /login,/signup,/chat]
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { ensureBuild, newDataDir, removeDataDir, startServer, stopServer, waitForOk } from "./lib/serve";
import { launchBenchChromium } from "./lib/bench-browser";

const { values } = parseArgs({
  options: { port: { type: "string", default: "3301" }, check: { type: "boolean", default: false }, pages: { type: "string" } },
});
/** Pages measured signed out, and (after signing up in the same context) signed in. */
const ALL_PAGES: { path: string; signedIn: boolean; budgetKb: number }[] = [
  { path: "/login", signedIn: false, budgetKb: 150 },
  { path: "/signup", signedIn: false, budgetKb: 150 },
  { path: "/", signedIn: true, budgetKb: 150 },
  { path: "/chat", signedIn: true, budgetKb: 160 },
];
const chosen = values.pages?.split(",").map((page) => page.trim());
const unknown = chosen?.filter((page) => !ALL_PAGES.some(({ path }) => path === page)) ?? [];
if (unknown.length > 0) throw new Error(`No such page in the bench: ${unknown.join(", ")} (it knows ${ALL_PAGES.map(({ path }) => path).join(", ")})`);
const PAGES = chosen ? ALL_PAGES.filter(({ path }) => chosen.includes(path)) : ALL_PAGES;

interface Script {
  path: string;
  raw: number;
  gzipped: number;
  /** Not named by the HTML: loaded afterwards, by a dynamic import. */
  later: boolean;
  /** Later, but named by a <link rel="preload" as="script"> in the HTML. */
  preloaded: boolean;
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
        data: { handle, email: `${handle}@example.org`, password: "lantern orbit meadow" },
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
      bodies.set(
        url.pathname,
        response.body().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      );
    });
    const response = await page.goto(origin + pathname, { waitUntil: "networkidle", timeout: 30_000 });
    if (response?.status() !== 200) throw new Error(`${pathname} answered ${response?.status()}`);
    const html = await response.text();
    const named = new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => new URL(m[1]!, origin).pathname));
    const preloads = new Set(
      [...html.matchAll(/<link[^>]*>/g)]
        .map((m) => m[0])
        .filter((tag) => /\srel="preload"/.test(tag) && /\sas="script"/.test(tag))
        .map((tag) => new URL(/\shref="([^"]+)"/.exec(tag)![1]!.replaceAll("&amp;", "&"), origin).pathname),
    );
    const scripts: Script[] = [];
    for (const [path, body] of bodies) {
      const bytes = await body; // Decoded, whatever Content-Encoding the server used.
      if (bytes instanceof Error) throw new Error(`Could not read ${path}: ${bytes.message}`);
      const later = !named.has(path);
      scripts.push({ path, raw: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length, later, preloaded: later && preloads.has(path) });
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
    browser = await launchBenchChromium();
    for (const { path: pathname, signedIn } of PAGES) results.set(pathname, await scriptsOf(browser, server.url, pathname, signedIn));
  } finally {
    await browser?.close();
    await stopServer(server);
    await removeDataDir(dataDir);
  }

  console.log("| Page | Scripts | Raw (kB) | Gzipped (kB) | Budget (kB gzipped) | Within | Later, gzipped (kB) | Of which preloaded (kB) |");
  console.log("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
  for (const { path: pathname, budgetKb } of PAGES) {
    const all = results.get(pathname)!;
    const first = all.filter((s) => !s.later);
    const gzipped = sum(first, "gzipped");
    const later = all.filter((s) => s.later);
    const preloaded = later.filter((s) => s.preloaded);
    console.log(
      `| ${pathname} | ${first.length} | ${kB(sum(first, "raw"))} | ${kB(gzipped)} | ${budgetKb} | ${gzipped < budgetKb * 1000 ? "yes" : "no"} | ${kB(sum(later, "gzipped"))} | ${kB(sum(preloaded, "gzipped"))} |`,
    );
  }
  const firstGzipped = (pathname: string) =>
    sum(
      results.get(pathname)!.filter((s) => !s.later),
      "gzipped",
    );
  const over = PAGES.filter(({ path: pathname, budgetKb }) => firstGzipped(pathname) >= budgetKb * 1000);
  if (over.length > 0 && values.check) process.exitCode = 1;
  for (const [pathname, scripts] of results) {
    console.log(
      `\n${pathname}: ${sum(
        scripts.filter((s) => !s.later),
        "gzipped",
      ).toLocaleString("en-US")} B gzipped first, ${sum(scripts, "raw").toLocaleString("en-US")} B raw in all. Largest first:\n`,
    );
    console.log("| Script | Raw (kB) | Gzipped (kB) | Loaded |");
    console.log("| --- | ---: | ---: | --- |");
    for (const s of scripts)
      console.log(`| \`${s.path}\` | ${kB(s.raw)} | ${kB(s.gzipped)} | ${s.preloaded ? "later (preloaded)" : s.later ? "later" : "first"} |`);
  }
  if (over.length > 0) console.error(`\nOver budget: ${over.map(({ path: pathname, budgetKb }) => `${pathname} (budget ${budgetKb} kB)`).join(", ")}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
