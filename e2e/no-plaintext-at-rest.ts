// Playwright's global teardown (it runs before the web server stops): after every browser test,
// none of the messages, recovery keys, passphrases or link codes the tests typed into the chat may
// appear in (1) a dump of every table of the database, (2) the PostgreSQL data directory on disk
// (tables, indexes and WAL, after a checkpoint), or (3) the server's logs.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { e2eDataDir, secretsLedgerFile, serverLogFile } from "./fixtures/secrets-ledger";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(full) : stat.isFile() ? [full] : [];
  });
}

/** The forms a leaked string could take: as text, as bytea hex, as base64url. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [secret, bytes.toString("hex"), bytes.toString("base64url")];
}

async function dumpDatabase(): Promise<string> {
  const credentials = JSON.parse(readFileSync(path.join(e2eDataDir, "postgres-credentials.json"), "utf8")) as { user: string; password: string; port: number };
  const client = new pg.Client({ host: "127.0.0.1", port: credentials.port, user: credentials.user, password: credentials.password, database: "hearth" });
  await client.connect();
  try {
    await client.query("CHECKPOINT");
    const tables = await client.query<{ name: string }>(
      "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${name} t`);
      parts.push(`-- ${name}\n${rows.rows.map((r) => r.row).join("\n")}`);
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}

export default async function noPlaintextAtRest(): Promise<void> {
  if (!existsSync(secretsLedgerFile)) {
    console.log("no-plaintext check: no chat test ran in this run, nothing to look for.");
    return;
  }
  const secrets = [...new Set(readFileSync(secretsLedgerFile, "utf8").split("\n").filter(Boolean))];
  const dump = await dumpDatabase();
  const places: { name: string; read: () => Buffer }[] = [
    { name: "database dump", read: () => Buffer.from(dump, "utf8") },
    { name: "server log", read: () => (existsSync(serverLogFile) ? readFileSync(serverLogFile) : Buffer.alloc(0)) },
    ...filesUnder(path.join(e2eDataDir, "postgres")).map((file) => ({ name: path.relative(e2eDataDir, file), read: () => readFileSync(file) })),
  ];
  const leaks: string[] = [];
  let scanned = 0;
  for (const place of places) {
    const content = place.read();
    scanned += content.length;
    for (const secret of secrets) for (const form of encodings(secret)) if (content.includes(form)) leaks.push(`${JSON.stringify(secret)} in ${place.name}`);
  }
  if (!existsSync(serverLogFile) || statSync(serverLogFile).size === 0) leaks.push("the server log is missing or empty (HEARTH_LOG_FILE not honoured?)");
  if (leaks.length) throw new Error(`Plaintext reached the server:\n${leaks.join("\n")}`);
  console.log(`no-plaintext check: ${secrets.length} secrets, ${places.length} places, ${(scanned / 1e6).toFixed(1)} MB scanned, none found.`);
}
