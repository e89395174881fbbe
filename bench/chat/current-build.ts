// A production build no older than the sources, judged as `npm start` judges it (scripts/start.ts,
// buildIfStale): the build is stale when anything under the same source paths changed after
// .next/BUILD_ID was written. Building goes through bench/lib/app-server.ts, which waits for
// a build someone else is running in the checkout instead of starting a second one.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ensureBuild } from "../lib/app-server";

const SOURCES = ["app", "server", "prisma", "public", "proxy.ts", "next.config.mjs", "package-lock.json"];
const BUILD_ID = path.join(".next", "BUILD_ID");

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry)
    .filter((name) => name !== "generated")
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

export function buildIsStale(): boolean {
  const builtAt = existsSync(BUILD_ID) ? statSync(BUILD_ID).mtimeMs : 0;
  return builtAt <= Math.max(...SOURCES.map(newestMtime));
}

/** Builds when there is no build, when it is older than the sources, or when `force` is set. */
export async function ensureCurrentBuild(options: { force: boolean; log: (line: string) => void }): Promise<void> {
  // Waits for someone else's build (and builds if there is none), then judges what is there.
  await ensureBuild({ force: false, log: options.log });
  const stale = buildIsStale();
  if (stale) options.log("The production build is older than the sources: rebuilding (not measured)…");
  if (stale || options.force) await ensureBuild({ force: true, log: options.log });
}
