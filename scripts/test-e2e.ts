// `npm run test:e2e`: the browser tests against a production build, on a throwaway embedded
// database, in Chromium. Stops with install instructions when no Chromium is found.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findChromium, INSTALL_CHROMIUM_HELP } from "./find-chromium";

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.error(INSTALL_CHROMIUM_HELP);
  process.exit(1);
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHROMIUM_PATH: chromiumPath };
const run = (command: string, args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } }).status ?? 1;

if (!process.argv.includes("--no-build")) {
  console.log("Building Hearth for the browser tests…");
  if (run("npx", ["--no-install", "next", "build"], { NODE_ENV: "production" }) !== 0) process.exit(1);
}

const dataDir = mkdtempSync(path.join(tmpdir(), "hearth-e2e-"));
const forwarded = process.argv.slice(2).filter((arg) => arg !== "--no-build");
const status = run("npx", ["--no-install", "playwright", "test", ...forwarded], { HEARTH_E2E_DATA_DIR: dataDir });
rmSync(dataDir, { recursive: true, force: true });
process.exit(status);
