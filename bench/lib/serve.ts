// Starts and stops Hearth the way `npm start -- --no-build` does, for the benchmarks in bench/.
// Each server gets its own process group so that one signal reaches tsx, Next and PostgreSQL.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface Server {
  url: string;
  dataDir: string;
  /** performance.now() just before the spawn. */
  launchedAt: number;
  child: ChildProcess;
  /** The last lines the server printed, for error messages. */
  outputTail(): string;
}

const live = new Set<Server>();

/** Builds if there is no build yet: the benchmarks measure serving, never building. */
export function ensureBuild(): void {
  if (existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  console.error("No build found; running `npx next build` first (not measured)…");
  const build = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit", env: benchEnv() });
  if (build.status !== 0) throw new Error("`next build` failed.");
}

export async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "hearth-bench-"));
  // mkdtemp makes it 0700, but as root PostgreSQL runs as the `postgres` user and must get through
  // it, as it can through the 0755 folder `npm start` creates.
  await chmod(dir, 0o755);
  return dir;
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function startServer({ port, dataDir }: { port: number; dataDir: string }): Promise<Server> {
  // Another server on the port would answer the polls and make the numbers meaningless.
  if (!(await isPortFree(port))) throw new Error(`Port ${port} is already in use.`);
  let tail = "";
  const launchedAt = performance.now();
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/start.ts", "--no-build"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...benchEnv(), PORT: String(port), HEARTH_DATA_DIR: dataDir },
  });
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString("utf8")).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const server: Server = { url: `http://localhost:${port}`, dataDir, launchedAt, child, outputTail: () => tail };
  live.add(server);
  return server;
}

/**
 * Polls `pathname` every `intervalMs` until it answers 200 and returns the milliseconds since the
 * launch. Fails as soon as the server exits, or after `timeoutMs`.
 */
export async function waitForOk(server: Server, pathname: string, { intervalMs = 50, timeoutMs = 60_000 } = {}): Promise<number> {
  const deadline = server.launchedAt + timeoutMs;
  while (performance.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`The server exited before answering:\n${server.outputTail()}`);
    }
    const attemptStart = performance.now();
    const signal = AbortSignal.timeout(Math.max(1, Math.ceil(deadline - attemptStart)));
    const status = await fetch(server.url + pathname, { redirect: "manual", signal }).then(
      async (response) => (await response.arrayBuffer(), response.status),
      () => undefined, // Not listening yet (ECONNREFUSED), or the deadline passed.
    );
    if (status === 200) return performance.now() - server.launchedAt;
    await sleep(Math.max(0, intervalMs - (performance.now() - attemptStart)));
  }
  throw new Error(`No 200 from ${pathname} within ${timeoutMs / 1000} s:\n${server.outputTail()}`);
}

/**
 * SIGTERMs the server's process group, as a service manager would, and waits until all of it and
 * every PostgreSQL process of its data folder have exited; returns how long that took (ms).
 * PostgreSQL's helpers start their own sessions, so they are tracked by parent, not by group.
 * Throws (after SIGKILLing the leftovers) if anything outlives `timeoutMs`, or if PostgreSQL left
 * its postmaster.pid behind, which means it did not shut down cleanly.
 */
export async function stopServer(server: Server, timeoutMs = 20_000): Promise<number> {
  const pgid = server.child.pid;
  if (pgid === undefined) throw new Error("The server never got a pid.");
  live.delete(server);
  const started = performance.now();
  const postgres = new Set(postgresTree(processes(), server.dataDir).map(identity));
  const leftovers = () => {
    const all = processes();
    return [...all.filter((p) => p.pgrp === pgid || postgres.has(identity(p))), ...postgresTree(all, server.dataDir)];
  };
  signalGroup(pgid, "SIGTERM");
  while (leftovers().length > 0 && performance.now() - started < timeoutMs) await sleep(50);
  const survivors = [...new Set(leftovers().map((p) => p.pid))];
  if (survivors.length > 0) {
    for (const pid of survivors) signalProcess(pid, "SIGKILL");
    throw new Error(`Pids ${survivors.join(", ")} outlived SIGTERM by ${timeoutMs / 1000} s and were killed.\n${server.outputTail()}`);
  }
  if (existsSync(path.join(server.dataDir, "postgres", "postmaster.pid"))) {
    throw new Error(`PostgreSQL in ${server.dataDir} did not shut down cleanly (postmaster.pid left behind).`);
  }
  return performance.now() - started;
}

interface Process {
  pid: number;
  ppid: number;
  pgrp: number;
  /** Start time in clock ticks since boot; with the pid, it names a process even if pids are reused. */
  startTime: string;
  argv: string[];
}

/**
 * Live processes, read from /proc. Zombies are left out: an orphan stays one until init reaps it,
 * and `kill(-pgid, 0)` would still count it.
 */
function processes(): Process[] {
  const found: Process[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid pgrp …", and comm may itself contain spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      found.push({ pid: Number(entry), ppid: Number(fields[1]), pgrp: Number(fields[2]), startTime: fields[19] ?? "", argv });
    } catch {
      // It exited while we looked.
    }
  }
  return found;
}

/** The postmaster serving `dataDir` and its helpers (which show up as "postgres: checkpointer" etc.). */
function postgresTree(all: Process[], dataDir: string): Process[] {
  const cluster = path.join(dataDir, "postgres");
  const postmasters = all.filter((p) => path.basename(p.argv[0] ?? "") === "postgres" && p.argv.includes(cluster));
  const pids = new Set(postmasters.map((p) => p.pid));
  return [...postmasters, ...all.filter((p) => pids.has(p.ppid))];
}

const identity = (p: Process) => `${p.pid}@${p.startTime}`;

function benchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  signalProcess(-pgid, signal);
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "localhost", () => probe.close(() => resolve(true)));
  });
}

// The servers are detached, so neither Ctrl-C nor a crash of the benchmark would reach them.
const stopAllLive = () => {
  for (const server of live) if (server.child.pid) signalGroup(server.child.pid, "SIGTERM");
};
process.once("exit", stopAllLive);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
