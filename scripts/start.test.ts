// `npm start` checks the environment before it builds or starts anything: a bad variable, or a
// test-only switch without HEARTH_TEST_MODE, stops it at once with the variable's name. (The
// database URL points at a closed port, so a start that skipped the check would fail differently.)
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "hearth-start-test-"));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const tsx = path.resolve("node_modules/.bin/tsx");
  const run = promisify(execFile)(tsx, ["scripts/start.ts", "--no-build"], {
    env: { ...process.env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", HEARTH_DATA_DIR: dataDir, ...env },
    timeout: 15_000,
  });
  return run.then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? "" }),
  );
}

describe("npm start", () => {
  it("refuses the test clock without HEARTH_TEST_MODE, naming it", async () => {
    const { code, stderr } = await start({ HEARTH_TEST_CLOCK: "1" });
    expect(code).toBe(1);
    expect(stderr).toContain("HEARTH_TEST_CLOCK: is a test-only switch");
  });

  it("refuses a bad value, naming the variable", async () => {
    const { code, stderr } = await start({ PORT: "http" });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT: must be a port number from 1 to 65535");
  });
});
