// A stand-in S3 server for the storage tests: gofakes3 (github.com/johannesboyne/gofakes3, MIT), a
// well-kept fake that speaks the S3 API, kept in memory. It is not a real store: the real
// S3-compatible servers cannot be built here (SeaweedFS and MinIO refuse `go install` for their
// replace directives; Garage is a long AGPL build). buildFakeS3() builds it from the Go module
// proxy into .cache/gofakes3/<version>/gofakes3 (git-ignored) in about 20 s.
//
//   npx tsx scripts/s3/fake-s3.ts [--build]    prints the binary's path, or how to get one
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "../free-port";

export const FAKE_S3_VERSION = "1.2.0";
const FAKE_S3_MODULE = `github.com/johannesboyne/gofakes3/cmd/gofakes3@v${FAKE_S3_VERSION}`;
const ROOT = path.resolve(import.meta.dirname, "../..");
const CACHE_DIR = path.join(ROOT, ".cache", "gofakes3", `v${FAKE_S3_VERSION}`);
export const CACHED_FAKE_S3_BINARY = path.join(CACHE_DIR, "gofakes3");

export const GET_FAKE_S3_HELP = `The S3 storage tests need gofakes3 (a stand-in S3 server), and none was built. Build it (about 20 s, needs Go): npx tsx scripts/s3/fake-s3.ts --build`;

/** The cached gofakes3 build, or null. */
export function findFakeS3(): string | null {
  return existsSync(CACHED_FAKE_S3_BINARY) ? CACHED_FAKE_S3_BINARY : null;
}

/**
 * Builds gofakes3 into the cache with `go install`.
 * @throws Error when Go is missing or the build fails
 */
export function buildFakeS3(log: (line: string) => void): string {
  const scratch = `${CACHE_DIR}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  log(`Building gofakes3 ${FAKE_S3_VERSION} (a stand-in S3 server) with Go into ${path.relative(ROOT, CACHE_DIR)}…`);
  const started = Date.now();
  const build = spawnSync("go", ["install", FAKE_S3_MODULE], { cwd: scratch, env: { ...process.env, CGO_ENABLED: "0", GOBIN: scratch }, stdio: "inherit" });
  if (build.error) throw new Error(`Go is not installed, so gofakes3 cannot be built.\n${GET_FAKE_S3_HELP}`);
  if (build.status !== 0) throw new Error(`Building gofakes3 failed (go install exited with ${build.status}; its messages are above).`);
  mkdirSync(CACHE_DIR, { recursive: true });
  renameSync(path.join(scratch, "gofakes3"), CACHED_FAKE_S3_BINARY);
  rmSync(scratch, { recursive: true, force: true });
  log(`Built gofakes3 in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return CACHED_FAKE_S3_BINARY;
}

export interface FakeS3 {
  endpoint: string;
  bucket: string;
  /** Any key pair works: the fake checks no signature. */
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/** Starts gofakes3 on loopback, in memory, with one bucket; resolves once it answers. */
export async function startFakeS3(options: { binary: string; bucket?: string }): Promise<FakeS3> {
  const bucket = options.bucket ?? "hearth";
  const port = await freePort();
  const child: ChildProcess = spawn(options.binary, ["-host", `127.0.0.1:${port}`, "-backend", "memory", "-initialbucket", bucket, "-quiet"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await fetch(`${endpoint}/${bucket}`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`gofakes3 did not come up on ${endpoint}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { endpoint, bucket, accessKeyId: "hearth-test", secretAccessKey: "hearth-test-secret", stop };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const log = (line: string) => console.log(`[s3] ${line}`);
  try {
    const found = findFakeS3() ?? (process.argv.includes("--build") ? buildFakeS3(log) : null);
    if (!found) {
      console.error(GET_FAKE_S3_HELP);
      process.exit(1);
    }
    log(`gofakes3: ${found}`);
  } catch (error) {
    console.error(`[s3] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
