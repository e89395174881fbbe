// Finds the LiveKit server (the SFU that forwards call media; a Go program, not on npm): a
// `livekit-server` on PATH, or our own build cached in .cache/livekit/<version>/server (git-ignored).
// buildLivekitServer() makes that build with `go install` from the Go module proxy, which takes a
// few minutes on two cores. Later releases than LIVEKIT_VERSION cannot be built this way: their
// go.mod has replace directives, which `go install pkg@version` refuses.
//
// Run it to find or build the server: `npx tsx scripts/livekit/find-livekit.ts [--build]` prints the
// binary's path, or how to get one (with --build it builds when Go is there, and fails otherwise).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

export const LIVEKIT_VERSION = "1.13.5";
const LIVEKIT_MODULE = `github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_VERSION}`;
const ROOT = path.resolve(import.meta.dirname, "../..");
const CACHE_DIR = path.join(ROOT, ".cache", "livekit", `v${LIVEKIT_VERSION}`);
/** `go install` names the binary after its package folder, cmd/server. */
export const CACHED_LIVEKIT_BINARY = path.join(CACHE_DIR, "server");

export const GET_LIVEKIT_HELP = [
  "Calls need a LiveKit server, and none was found. Either:",
  `  build one (about 3 minutes, needs Go 1.21+): npx tsx scripts/livekit/find-livekit.ts --build`,
  "  put livekit-server on PATH (https://docs.livekit.io/home/self-hosting/local/), or",
  "  point Hearth at a running one with LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET.",
].join("\n");

/** The version a LiveKit binary reports ("livekit-server version 1.13.5"), or null when it does not run. */
export function livekitVersionOf(binary: string): string | null {
  const run = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 10_000 });
  if (run.status !== 0) return null;
  return /version\s+(\S+)/.exec(run.stdout)?.[1] ?? null;
}

/** A LiveKit server to run: `livekit-server` from PATH first (an operator's choice), then our cached build; null when neither runs. */
export function findLivekitServer(): string | null {
  if (livekitVersionOf("livekit-server")) return "livekit-server";
  if (existsSync(CACHED_LIVEKIT_BINARY) && livekitVersionOf(CACHED_LIVEKIT_BINARY) === LIVEKIT_VERSION) return CACHED_LIVEKIT_BINARY;
  return null;
}

/** Whether a Go toolchain is on PATH to build the server with. */
export function goAvailable(): boolean {
  return spawnSync("go", ["version"], { stdio: "ignore", timeout: 10_000 }).status === 0;
}

/**
 * Builds the LiveKit server into the cache with `go install` (niced, so the machine stays usable),
 * printing Go's progress, and checks that the binary reports LIVEKIT_VERSION.
 * @throws Error when Go is missing, the build fails, or the binary is not the expected version
 */
export async function buildLivekitServer(log: (line: string) => void): Promise<string> {
  if (!goAvailable()) throw new Error(`Go is not installed, so the LiveKit server cannot be built.\n${GET_LIVEKIT_HELP}`);
  // Into a scratch folder first: a build cut short never leaves a binary that looks finished.
  const scratch = `${CACHE_DIR}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  log(`Building the LiveKit server ${LIVEKIT_VERSION} with Go (a few minutes; once per machine) into ${path.relative(ROOT, CACHE_DIR)}…`);
  const started = Date.now();
  const niced = spawnSync("nice", ["true"]).status === 0;
  const [command, args] = niced ? ["nice", ["-n", "10", "go", "install", "-v", LIVEKIT_MODULE]] : ["go", ["install", "-v", LIVEKIT_MODULE]];
  const status = await new Promise<number | null>((resolve, reject) => {
    // CGO off: a static binary that needs no C toolchain. `go install pkg@version` builds the
    // module as released, whatever go.mod is around it.
    const build = spawn(command, args, {
      cwd: scratch,
      env: { ...process.env, CGO_ENABLED: "0", GOBIN: scratch },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let packages = 0;
    let lastReport = Date.now();
    build.stderr.setEncoding("utf8");
    build.stderr.on("data", (chunk: string) => {
      for (const line of chunk.split("\n").filter(Boolean)) {
        if (line.startsWith("go: downloading")) continue;
        if (!line.startsWith("go:") && !line.includes(" ")) packages++;
        else log(`go: ${line}`);
      }
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        log(`…still building the LiveKit server: ${packages} packages compiled in ${Math.round((Date.now() - started) / 1000)} s`);
      }
    });
    // A build left running by a Hearth that stopped would only waste the machine: it stops with us.
    const stopBuild = () => build.kill("SIGKILL");
    process.once("exit", stopBuild);
    build.on("error", reject);
    build.on("close", (code) => {
      process.off("exit", stopBuild);
      resolve(code);
    });
  });
  if (status !== 0) throw new Error(`Building the LiveKit server failed (go install exited with ${status}; its messages are above).`);
  const built = path.join(scratch, "server");
  const version = livekitVersionOf(built);
  if (version !== LIVEKIT_VERSION) throw new Error(`The LiveKit server just built reports version ${version ?? "nothing"}, not ${LIVEKIT_VERSION}.`);
  mkdirSync(CACHE_DIR, { recursive: true });
  renameSync(built, CACHED_LIVEKIT_BINARY);
  rmSync(scratch, { recursive: true, force: true });
  log(`Built the LiveKit server ${version} in ${((Date.now() - started) / 60_000).toFixed(1)} min.`);
  return CACHED_LIVEKIT_BINARY;
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[livekit] ${line}`);
  const found = findLivekitServer();
  if (found) {
    log(`Found the LiveKit server ${livekitVersionOf(found)}: ${found}`);
    return;
  }
  if (!process.argv.includes("--build")) {
    console.error(GET_LIVEKIT_HELP);
    process.exit(1);
  }
  await buildLivekitServer(log);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(`[livekit] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
