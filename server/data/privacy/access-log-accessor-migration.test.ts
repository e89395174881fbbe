// The migration that stopped keeping who looked as a handle: existing entries point at the
// account that held the handle when they were written, and no entry keeps the text.
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createScratchDatabase } from "../../testing/scratch-database";
import { applyMigrations } from "../migrations/apply-migrations";

const MIGRATION = "20261210090000_access_log_accessor_id";

describe(MIGRATION, () => {
  it("converts handles to account ids where the account held the handle, and forgets every handle", async () => {
    const before = await mkdtemp(path.join(tmpdir(), "hearth-migrations-"));
    const scratch = await createScratchDatabase();
    const client = new pg.Client({ connectionString: scratch.url });
    try {
      for (const name of await readdir("prisma/migrations")) {
        if (name < MIGRATION) await cp(path.join("prisma/migrations", name), path.join(before, name), { recursive: true });
      }
      await applyMigrations({ databaseUrl: scratch.url, migrationsDir: before });
      await client.connect();
      const user = async (handle: string, createdAt: string) =>
        (
          await client.query<{ id: string }>(
            "INSERT INTO users (id, handle, email, password_hash, display_name, created_at) VALUES (gen_random_uuid(), $1::varchar, $1::varchar || '@example.org', 'x', 'X', $2) RETURNING id",
            [handle, createdAt],
          )
        ).rows[0]!.id;
      const subject = await user("subject", "2026-01-01T00:00:00Z");
      const looker = await user("looker", "2026-01-01T00:00:00Z");
      // Took the handle of a purged account after that account's entry was written.
      await user("newcomer", "2026-06-01T00:00:00Z");
      const entry = (action: string, detail: string | null) =>
        client.query(
          "INSERT INTO access_log (id, subject_id, accessor, action, detail, purpose, categories, created_at) VALUES (gen_random_uuid(), $1, 'person', $2, $3, 'p', '{}', '2026-03-01T00:00:00Z')",
          [subject, action, detail],
        );
      await entry("found_by_email", "@looker");
      await entry("presence_shown", "@newcomer");
      await entry("counted_in_totals", "2026-02-28");

      await applyMigrations({ databaseUrl: scratch.url, migrationsDir: "prisma/migrations" });
      const { rows } = await client.query<{ action: string; detail: string | null; accessor_id: string | null }>(
        "SELECT action, detail, accessor_id FROM access_log ORDER BY action",
      );
      expect(rows).toEqual([
        { action: "counted_in_totals", detail: "2026-02-28", accessor_id: null },
        { action: "found_by_email", detail: null, accessor_id: looker },
        { action: "presence_shown", detail: null, accessor_id: null },
      ]);
    } finally {
      await client.end().catch(() => undefined);
      await scratch.drop();
      await rm(before, { recursive: true, force: true });
    }
  });
});
