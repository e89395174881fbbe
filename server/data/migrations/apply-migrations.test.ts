import { cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../../testing/scratch-database";
import { applyMigrations, MigrationError, migrationChecksum, readMigrationFiles } from "./apply-migrations";

const repoMigrations = path.resolve("prisma/migrations");
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function scratch() {
  const database = await createScratchDatabase();
  cleanups.push(database.drop);
  return database;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "hearth-migrations-"));
  await cp(repoMigrations, dir, { recursive: true });
  return dir;
}

describe("applyMigrations", () => {
  it("applies every migration once and writes the rows prisma migrate deploy writes", async () => {
    const { url } = await scratch();
    const files = await readMigrationFiles(repoMigrations);

    const first = await applyMigrations({ databaseUrl: url, migrationsDir: repoMigrations });
    expect(first.applied).toEqual(files.map((f) => f.name));

    const ledger = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      finished_at: Date | null;
      logs: string | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(ledger).toHaveLength(files.length);
    for (const [i, row] of ledger.entries()) {
      const file = files[i]!;
      expect(row.migration_name).toBe(file.name);
      expect(row.checksum).toBe(migrationChecksum(file.sql));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    const second = await applyMigrations({ databaseUrl: url, migrationsDir: repoMigrations });
    expect(second).toEqual({ applied: [], alreadyApplied: files.length });
  });

  it("refuses to continue when an applied migration's file has changed", async () => {
    const { url } = await scratch();
    const dir = await copyOfMigrations();
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    const [first] = await readMigrationFiles(dir);
    await writeFile(path.join(dir, first!.name, "migration.sql"), `${first!.sql}\n-- edited afterwards\n`);

    await expect(applyMigrations({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(MigrationError);
    await expect(applyMigrations({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls a failing migration back completely and records nothing for it", async () => {
    const { url } = await scratch();
    const dir = await copyOfMigrations();
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    const broken = path.join(dir, "99990101000000_broken");
    await cp(path.join(dir, (await readMigrationFiles(dir))[0]!.name), broken, { recursive: true });
    await writeFile(path.join(broken, "migration.sql"), `CREATE TABLE "half_done" (id INT);\nSELECT no_such_function();\n`);

    await expect(applyMigrations({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(/99990101000000_broken failed/);
    const tables = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half_done'`);
    expect(tables[0]!.n).toBe(0);
    const rows = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`);
    expect(rows[0]!.n).toBe(0);
  });

  it("lets only one runner apply a migration when several start at once", async () => {
    const { url } = await scratch();
    const results = await Promise.all([1, 2, 3].map(() => applyMigrations({ databaseUrl: url, migrationsDir: repoMigrations })));
    const files = await readMigrationFiles(repoMigrations);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(files.map((f) => f.name).sort());
    const ledger = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(ledger[0]!.n).toBe(files.length);
  });

  it("refuses to run on top of a migration Prisma recorded as failed", async () => {
    const { url } = await scratch();
    await applyMigrations({ databaseUrl: url, migrationsDir: repoMigrations });
    await query(
      url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES ('00000000-0000-4000-8000-000000000000', repeat('0', 64), '99990101000000_failed', 'boom', now(), 0)`,
    );
    await expect(applyMigrations({ databaseUrl: url, migrationsDir: repoMigrations })).rejects.toThrow(/failed earlier/);
  });
});
