// Statements per message, from pg_stat_statements in the benchmark's own cluster: restart it once
// with the extension preloaded, reset the counts before a phase, read them after.
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/data/embedded/start-embedded-postgres";

export interface StatementCount {
  query: string;
  calls: number;
  meanMs: number;
}

/** Restarts the cluster with pg_stat_statements preloaded (a fresh, private cluster: nothing else uses it). */
export async function withStatements(database: EmbeddedDatabase, dataDir: string): Promise<EmbeddedDatabase> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  await client.end();
  await database.stop();
  const restarted = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_bench" });
  const again = new pg.Client({ connectionString: restarted.url });
  await again.connect();
  await again.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await again.end();
  return restarted;
}

export async function resetStatements(admin: pg.Client | null) {
  if (admin) await admin.query("SELECT pg_stat_statements_reset()");
}

/** The statements run in this database since the last reset, most called first (null without pg_stat_statements). */
export async function readStatements(admin: pg.Client | null): Promise<StatementCount[] | null> {
  if (!admin) return null;
  const { rows } = await admin.query<{ query: string; calls: string; mean: number }>(
    `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, mean_exec_time AS mean FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat%'
     ORDER BY calls DESC`,
  );
  return rows.map((r) => ({ query: r.query, calls: Number(r.calls), meanMs: r.mean }));
}
