// A second start on a folder whose cluster is running (`npm run seed` beside `npm start`) must find
// that cluster, not start another postmaster or rewrite the credentials file with another port.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./start-embedded-postgres";

async function answers(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
    return rows[0]!.db;
  } finally {
    await client.end();
  }
}

describe("startEmbeddedPostgres on a folder whose cluster already runs", () => {
  let dataDir: string;
  let first: EmbeddedDatabase;
  const credentials = async () => JSON.parse(await readFile(path.join(dataDir, "postgres-credentials.json"), "utf8")) as { port: number };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "hearth-embedded-"));
    first = await startEmbeddedPostgres({ dataDir, databaseName: "hearth" });
  }, 120_000);

  afterAll(async () => {
    await first?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("connects to the running cluster and leaves it and its credentials alone", async () => {
    const portBefore = (await credentials()).port;
    expect(new URL(first.url).port).toBe(String(portBefore));

    const second = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_seed", ifRunning: "use" });
    expect(second.shared).toBe(true);
    expect(new URL(second.url).port).toBe(String(portBefore));
    expect(await answers(second.url)).toBe("hearth_seed");
    expect((await credentials()).port).toBe(portBefore);

    await second.stop();
    // Stopping the second user must not stop the cluster the first one runs.
    expect(await answers(first.url)).toBe("hearth");
  }, 60_000);

  it("by default refuses with what to do, and keeps the credentials' port", async () => {
    const portBefore = (await credentials()).port;
    const error: unknown = await startEmbeddedPostgres({ dataDir, databaseName: "hearth" }).then(
      () => "started",
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/already running \(process \d+, port \d+\)[\s\S]*Stop it first/);
    expect((await credentials()).port).toBe(portBefore);
    expect(await answers(first.url)).toBe("hearth");
  }, 60_000);
});
