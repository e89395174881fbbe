// Brings a database up to date: `prisma migrate deploy` where Prisma's native schema engine is
// installed, otherwise Hearth's ledger-compatible runner. Both read prisma/migrations.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { serverEnv } from "../../env";
import { applyMigrations, MigrationError } from "./apply-migrations";

export const MIGRATIONS_DIR = path.resolve("prisma/migrations");

/** The engine is either named by PRISMA_SCHEMA_ENGINE_BINARY or downloaded beside @prisma/engines. */
function prismaSchemaEngineAvailable(): boolean {
  const named = serverEnv().PRISMA_SCHEMA_ENGINE_BINARY;
  if (named) return existsSync(named);
  const enginesDir = path.resolve("node_modules/@prisma/engines");
  return existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith("schema-engine"));
}

export async function migrateDatabase(options: { databaseUrl: string; log: (line: string) => void }): Promise<void> {
  if (prismaSchemaEngineAvailable()) {
    const run = spawnSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: options.databaseUrl },
    });
    if (run.status !== 0) throw new MigrationError("prisma migrate deploy failed (see above).");
    return;
  }
  const result = await applyMigrations({ databaseUrl: options.databaseUrl, migrationsDir: MIGRATIONS_DIR, log: options.log });
  if (result.applied.length > 0) options.log(`Applied ${result.applied.length} migration(s).`);
}
