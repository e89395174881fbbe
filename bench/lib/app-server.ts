// The app under test: the production build served by scripts/start.ts (the run command), against
// the benchmark's database, on loopback. Builds once when there is no build; waits for a build
// someone else is running in the same checkout instead of starting a second one.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import http from "node:http";
import path from "node:path";

const BUILD_WAIT_MS = 20 * 60 * 1000;
const READY_TIMEOUT_MS = 120_000;

/** Whether a `next build` is running with this checkout as its working directory. */
function otherNextBuildRunning(dir: string): boolean {
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      if (/next(\.js)?\s+build/.test(cmdline) && readlinkSync(`/proc/${pid}/cwd`) === dir) return true;
    } catch {
      // The process ended, or is not ours to read.
    }
  }
  return false;
}

/** Builds when there is no build (or when asked); waits for another engineer's build first. */
export async function ensureBuild(options: {
  force: boolean;
  log: (line: string) => void;
  /** The checkout (default: this one). */ dir?: string;
}): Promise<void> {
  const dir = path.resolve(options.dir ?? process.cwd());
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (otherNextBuildRunning(dir)) {
    if (Date.now() > deadline) throw new Error("Another `next build` has been running for 20 minutes; giving up.");
    options.log("Another `next build` is running in this checkout; waiting for it…");
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
  if (existsSync(path.join(dir, ".next", "BUILD_ID")) && !options.force) return;
  options.log(options.force ? "Building (--build)…" : "No production build yet: building once…");
  const build = spawnSync("npx", ["--no-install", "next", "build"], {
    stdio: "inherit",
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error("next build failed (see above).");
}

export interface AppServer {
  origin: string;
  /** The process group of tsx, Next and everything they started (for CPU accounting). */
  processGroup: number | null;
  /** The server's lines that look like errors, oldest first (at most the last 200): why a request failed. */
  errorLines(): string[];
  stop(): Promise<void>;
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", () => resolve(0));
    request.setTimeout(5_000, () => request.destroy());
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** `npx tsx scripts/start.ts --no-build` in its own process group, stopped with SIGTERM. */
export async function startAppServer(options: {
  databaseUrl: string;
  dataDir: string;
  port: number;
  log: (line: string) => void;
  /** The checkout to serve (default: this one), e.g. another branch's for an A/B comparison. */
  dir?: string;
  /** More variables for this server only (a second instance's storage, proxy and secrets). */
  env?: Record<string, string>;
}): Promise<AppServer> {
  const origin = `http://127.0.0.1:${options.port}`;
  if ((await get(`${origin}/login`)) !== 0) throw new Error(`Port ${options.port} is already in use.`);
  const child = spawn("npx", ["--no-install", "tsx", "scripts/start.ts", "--no-build"], {
    detached: true,
    cwd: options.dir ?? process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      HEARTH_DATA_DIR: options.dataDir,
      PORT: String(options.port),
      HOST: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
  });
  let output = "";
  const errors: string[] = [];
  let partial = "";
  const keep = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output = (output + text).slice(-20_000);
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (/error|failed|exception|timeout|timed out/i.test(line)) errors.push(line.slice(0, 500));
    if (errors.length > 200) errors.splice(0, errors.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);

  const stop = async () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    if (!(await waitForExit(child, 15_000))) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      await waitForExit(child, 5_000);
    }
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while ((await get(`${origin}/login`)) !== 200) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`The app server did not come up on ${origin}. Its output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  options.log(`App server ready at ${origin}`);
  return { origin, processGroup: child.pid ?? null, errorLines: () => [...errors], stop };
}
