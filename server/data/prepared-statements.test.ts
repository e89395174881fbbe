import { describe, expect, it } from "vitest";
import { db, PREPARED, Prisma } from "./db";
import { statementName } from "./prepared-statements";

const textOf = (sql: Prisma.Sql) => ({ sql: sql.text });

describe("prepared statements", () => {
  it("name a marked statement by its text, the same on every call whatever its values", () => {
    const first = statementName(textOf(Prisma.sql`${PREPARED} SELECT ${1}::int AS n`));
    expect(first).toMatch(/^hearth_[0-9a-f]{24}$/);
    expect(statementName(textOf(Prisma.sql`${PREPARED} SELECT ${2}::int AS n`))).toBe(first);
    expect(statementName(textOf(Prisma.sql`${PREPARED} SELECT ${2}::int AS m`))).not.toBe(first);
  });

  it("leave unmarked statements unnamed (planned per call, nothing kept on the connection)", () => {
    expect(statementName(textOf(Prisma.sql`SELECT ${1}::int AS n`))).toBe("");
  });

  it("return the same rows as an unnamed statement, across the calls after which PostgreSQL may keep a generic plan", async () => {
    for (let n = 0; n < 8; n++) {
      const [marked] = await db().$queryRaw<{ n: number; at: Date }[]>`${PREPARED} SELECT ${n}::int AS n, ${new Date(n * 1000)}::timestamptz AS at`;
      expect(marked).toEqual({ n, at: new Date(n * 1000) });
    }
  });

  it("are prepared on the connection that ran them, under their name", async () => {
    const marked = Prisma.sql`${PREPARED} SELECT ${1}::int AS n`;
    const name = statementName(textOf(marked));
    const prepared = await db().$transaction(async (tx) => {
      await tx.$queryRaw(marked);
      return tx.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements WHERE name = ${name}`;
    });
    expect(prepared).toEqual([{ name }]);
  });
});
