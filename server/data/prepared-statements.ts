// Named (prepared) statements for the hot hand-written queries. PostgreSQL plans an unnamed
// statement on every call; the views of a timeline page cost about as much to plan as to run
// (docs/benchmarks.md). A statement that starts with PREPARED gets a name from its text, so `pg`
// parses it once per connection and PostgreSQL may keep its plan. Only marked statements are
// named: Prisma's own queries and `IN (…)` lists vary in text, and every name stays prepared on
// every pooled connection for the connection's life.
import "server-only";
import { createHash } from "node:crypto";
import { Prisma } from "./generated/prisma/client";

const MARKER = "/* prepared */";

/** Put first in a `$queryRaw` whose text is the same on every call (values only as parameters). */
export const PREPARED = Prisma.raw(MARKER);

/** A safety bound: a marked statement whose text varied per call would otherwise pile up names. */
const MAX_NAMES = 64;
const names = new Map<string, string>();

/** The adapter's statementNameGenerator: a name for a marked statement, none ("") for the rest. */
export function statementName({ sql }: { sql: string }): string {
  if (!sql.startsWith(MARKER)) return "";
  let name = names.get(sql);
  if (name === undefined) {
    if (names.size >= MAX_NAMES) return "";
    name = `hearth_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}
