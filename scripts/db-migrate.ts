// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database.
import { startEmbeddedPostgres } from "../server/data/embedded/start-embedded-postgres";
import { migrateDatabase } from "../server/data/migrations/migrate-database";
import { parseServerEnv } from "../server/env";

async function main(): Promise<void> {
  const env = parseServerEnv(process.env);
  const embedded = env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: env.HEARTH_DATA_DIR, databaseName: "hearth", ifRunning: "use" });
  try {
    await migrateDatabase({ databaseUrl: env.DATABASE_URL ?? embedded!.url, log: console.log });
    console.log("The database is up to date.");
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
