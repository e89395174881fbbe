// The app under test, as bench/timeline/app-server.ts starts it (`npx tsx scripts/start.ts
// --no-build` in its own process group, against the benchmark's database, on loopback), but
// keeping what the server prints: when a send fails with a 500, its log says why.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";

const READY_TIMEOUT_MS = 120_000;

export interface AppProcess {
  origin: string;
  /** The process group of npx, tsx and Node (for CPU and memory accounting). */
  processGroup: number | null;
  /** The server's lines that look like errors, oldest first (at most the last 200). */
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

export async function startAppProcess(options: { databaseUrl: string; dataDir: string; port: number; log: (line: string) => void }): Promise<AppProcess> {
  const origin = `http://127.0.0.1:${options.port}`;
  if ((await get(`${origin}/login`)) !== 0) throw new Error(`Port ${options.port} is already in use.`);
  const child = spawn("npx", ["--no-install", "tsx", "scripts/start.ts", "--no-build"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      HEARTH_DATA_DIR: options.dataDir,
      PORT: String(options.port),
      HOST: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
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
