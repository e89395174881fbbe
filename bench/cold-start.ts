// Cold start: seconds from launching the server to the first 200 from /login, with a fresh data
// folder (initdb and all migrations: the first run on a new machine) and with an existing one.
// The build is excluded. Usage: npx tsx bench/cold-start.ts [--runs 5] [--port 3300]
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { ensureBuild, newDataDir, removeDataDir, startServer, stopServer, waitForOk } from "./lib/serve";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, port: { type: "string", default: "3300" } } });
const runs = Number(values.runs);
const port = Number(values.port);
/** Stop starting new runs after this, so the whole benchmark stays within about three minutes. */
const BUDGET_MS = 150_000;

type Case = "fresh" | "existing";
const LABELS: Record<Case, string> = {
  fresh: "Fresh data folder (initdb + migrations)",
  existing: "Existing data folder",
};

const shutdowns: number[] = [];

async function timeOneStart(dataDir: string): Promise<number> {
  const server = await startServer({ port, dataDir });
  try {
    return await waitForOk(server, "/login", { intervalMs: 50, timeoutMs: 60_000 });
  } finally {
    shutdowns.push(await stopServer(server));
  }
}

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer.");
  ensureBuild();
  const loadBefore = loadavg()[0]!;
  const began = performance.now();
  const samples: Record<Case, number[]> = { fresh: [], existing: [] };

  // Untimed warm-up: loads Node, Next and PostgreSQL into the page cache, which could otherwise make
  // the first measured run an outlier, and leaves the data folder for the "existing" runs.
  const existingDir = await newDataDir();
  try {
    await timeOneStart(existingDir);
    // Alternate the cases so that a change in background load affects both alike.
    for (let run = 1; run <= runs && performance.now() - began < BUDGET_MS; run++) {
      const freshDir = await newDataDir();
      try {
        samples.fresh.push(await timeOneStart(freshDir));
      } finally {
        await removeDataDir(freshDir);
      }
      samples.existing.push(await timeOneStart(existingDir));
      console.error(`run ${run}/${runs}: fresh ${seconds(samples.fresh.at(-1)!)}, existing ${seconds(samples.existing.at(-1)!)}`);
    }
  } finally {
    await removeDataDir(existingDir);
  }

  console.log("| Case | Runs | Min | Median | Max |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const key of ["fresh", "existing"] as const) {
    const sorted = [...samples[key]].sort((a, b) => a - b);
    console.log(`| ${LABELS[key]} | ${sorted.length} | ${seconds(sorted[0]!)} | ${seconds(median(sorted))} | ${seconds(sorted.at(-1)!)} |`);
  }
  console.log();
  for (const key of ["fresh", "existing"] as const) console.log(`${LABELS[key]}, in run order: ${samples[key].map(seconds).join(", ")}`);
  console.log(
    `Shutdown after SIGTERM (server and PostgreSQL gone): median ${seconds(median([...shutdowns].sort((a, b) => a - b)))}, max ${seconds(Math.max(...shutdowns))}.`,
  );
  if (samples.fresh.length < runs) console.log(`Stopped after ${samples.fresh.length} of ${runs} runs: time budget reached.`);
  console.log(`Load average (1 min) before: ${loadBefore.toFixed(2)}, after: ${loadavg()[0]!.toFixed(2)}; total ${seconds(performance.now() - began)}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
