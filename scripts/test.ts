// `npm test`: every check Hearth has, in order of speed: types, lint, unit and integration tests
// (Vitest, real PostgreSQL), the browser tests (Playwright, production build, Chromium), then the
// first-load JavaScript check, the fault tests and the load test on that build (bench/first-load-js.ts, bench/faults/crash.ts,
// two-instances.ts and bench/load/run.ts, short forms).
import { spawnSync } from "node:child_process";
import { findChromium, INSTALL_CHROMIUM_HELP } from "./find-chromium";

// Check for the browser first, so a missing Chromium costs seconds, not a whole run.
if (!findChromium()) {
  console.error(INSTALL_CHROMIUM_HELP);
  process.exit(1);
}

const steps: [label: string, command: string, args: string[]][] = [
  ["Type check", "npx", ["--no-install", "tsc", "--noEmit"]],
  ["Lint and import boundaries", "npm", ["run", "--silent", "lint"]],
  ["Unit and integration tests (Vitest)", "npx", ["--no-install", "vitest", "run"]],
  ["Browser tests (Playwright)", "npx", ["--no-install", "tsx", "scripts/test-e2e.ts"]],
  // On that build: the first-load JavaScript of every measured page within its budget (design.md).
  ["First-load JavaScript within budget (/login, /signup, /, /chat)", "npx", ["--no-install", "tsx", "bench/first-load-js.ts", "--check"]],
  // On the build the browser tests made: the app and then PostgreSQL killed under a burst of posts and messages.
  ["Fault tests (nothing lost when the app or the database dies; slow clients cut off)", "npx", ["--no-install", "tsx", "bench/faults/crash.ts", "--short"]],
  // Two instances of that build behind a proxy, on one PostgreSQL and one S3 store: messages, posts,
  // sessions and rate limits cross instances, and one instance killed mid-burst loses nothing.
  ["Two instances (shared database and store; one killed mid-burst)", "npx", ["--no-install", "tsx", "bench/faults/two-instances.ts", "--short"]],
  // 50 people with the realistic mix for 30 s: any error, lost or doubled message fails it.
  ["Load test (50 people for 30 s: no errors, nothing lost)", "npx", ["--no-install", "tsx", "bench/load/run.ts", "--short"]],
];

for (const [label, command, args] of steps) {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  console.log(`=== ${label}: ${status === 0 ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  if (status !== 0) process.exit(status ?? 1);
}
