// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database.
import { startEmbeddedPostgres } from "../server/data/embedded/start-embedded-postgres";
import { migrateDatabase } from "../server/data/migrations/migrate-database";

async function main(): Promise<void> {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: process.env.HEARTH_DATA_DIR ?? ".data", databaseName: "hearth", ifRunning: "use" });
  try {
    await migrateDatabase({ databaseUrl: process.env.DATABASE_URL ?? embedded!.url, log: console.log });
    console.log("The database is up to date.");
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
