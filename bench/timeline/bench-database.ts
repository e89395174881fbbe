// The benchmark's database: an embedded PostgreSQL in its own folder (a fresh temporary one, or a
// kept one with --reuse), migrated, seeded once with the demo-world generator at benchmark scale,
// then vacuumed and analysed so the planner and index-only scans see a settled table.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { generateWorld, type WorldSummary } from "../../prisma/seed/generate-world";
import { startEmbeddedPostgres } from "../../server/data/embedded/start-embedded-postgres";
import { applyMigrations } from "../../server/data/migrations/apply-migrations";

export interface BenchScale {
  people: number;
  posts: number;
  followsPerPerson: number;
  likesPerPost: number;
  repostsPerPost: number;
  seed: number;
}

export interface BenchDatabase {
  url: string;
  dataDir: string;
  /** Null when an already seeded database was reused. */
  seeded: { summary: WorldSummary; seconds: number; vacuumSeconds: number } | null;
  stop(): Promise<void>;
}

export async function prepareBenchDatabase(options: {
  reuseDir: string | null;
  keep: boolean;
  port: number;
  scale: BenchScale;
  log: (line: string) => void;
}): Promise<BenchDatabase> {
  const { log } = options;
  const dataDir = options.reuseDir ? path.resolve(options.reuseDir) : await mkdtemp(path.join(tmpdir(), "hearth-bench-timeline-"));
  if (options.reuseDir) await mkdir(dataDir, { recursive: true });
  log(`${existsSync(path.join(dataDir, "postgres", "PG_VERSION")) ? "Reusing" : "Creating"} the embedded PostgreSQL in ${dataDir}`);
  const database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_bench", port: options.port });
  const removeDir = !options.reuseDir && !options.keep;
  const stop = async () => {
    await database.stop();
    if (removeDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations"), log });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
      if (rows[0]!.n > 0) {
        log(`The database already holds ${rows[0]!.n.toLocaleString("en")} people: not seeding again.`);
        return { url: database.url, dataDir, seeded: null, stop };
      }
      log(`Seeding ${options.scale.people.toLocaleString("en")} people and ${options.scale.posts.toLocaleString("en")} posts…`);
      const seedStarted = performance.now();
      const summary = await generateWorld({
        databaseUrl: database.url,
        ...options.scale,
        withImages: false,
        notifications: false,
        log: (line) => log(`  ${line}`),
      });
      const seconds = (performance.now() - seedStarted) / 1000;
      const vacuumStarted = performance.now();
      // After a bulk load: statistics for the planner, and a visibility map for index-only scans.
      await client.query("VACUUM (ANALYZE)");
      const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
      log(`Seeded in ${seconds.toFixed(0)} s, VACUUM (ANALYZE) in ${vacuumSeconds.toFixed(0)} s.`);
      return { url: database.url, dataDir, seeded: { summary, seconds, vacuumSeconds }, stop };
    } finally {
      await client.end();
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
