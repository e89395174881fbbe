// One throwaway PostgreSQL per test run: a fresh cluster in a temporary folder, migrated with the
// same runner the app uses, removed afterwards. Never the development database in .data/.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../data/embedded/start-embedded-postgres";
import { applyMigrations } from "../data/migrations/apply-migrations";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** Connection string for the cluster's maintenance database, to create scratch databases. */
    adminDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "hearth-test-"));
  const database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_test" });
  await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
  project.provide("databaseUrl", database.url);
  project.provide("adminDatabaseUrl", database.url.replace(/\/hearth_test$/, "/postgres"));
  return async () => {
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
