// Playwright's global teardown (it runs before the web server stops): after every browser test,
// none of the messages, recovery keys, passphrases or link codes the tests typed into the chat, the
// files they sent in it, the passwords they sent, or the session tokens their browsers held
// (e2e/fixtures/watch-credentials.ts) may appear in (1) a dump of every table of the database, (2)
// the PostgreSQL data directory on disk (tables, indexes and WAL, after a checkpoint), (3) the store
// of attachment blobs on disk (<data dir>/chat-attachments, server/media/media-storage.ts), or (4)
// the server's logs. Secrets are looked for as text, hex and base64url; files as a window of their
// bytes (e2e/fixtures/secrets-ledger.ts), raw, as hex and as base64 or base64url at each of the
// three alignments a window can have inside a longer encoding; session tokens only as themselves,
// since their SHA-256 is stored by design. A message a test reported to the operators is the one
// exception (reportedToOperators in the ledger): its text must be in chat_message_reports, and may
// be in that table's files and the write-ahead log, and nowhere else.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { binarySecretsFile, e2eDataDir, reportedSecretsFile, secretsLedgerFile, serverLogFile, sessionTokensFile } from "./fixtures/secrets-ledger";

/** The one table a reported message's text may be stored in. */
const REPORTS_TABLE = "public.chat_message_reports";

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
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

/**
 * The forms a leaked window of a file could take. Inside a longer base64 text a window is encoded
 * differently depending on where it falls in a group of three bytes, so each alignment is one form.
 */
function binaryEncodings(window: Buffer): Buffer[] {
  const forms = [window.toString("hex")];
  for (let skip = 0; skip < 3; skip++) {
    const whole = window.subarray(skip, skip + Math.floor((window.length - skip) / 3) * 3);
    forms.push(whole.toString("base64"), whole.toString("base64url"));
  }
  return [window, ...[...new Set(forms)].map((form) => Buffer.from(form, "latin1"))];
}

/**
 * The session tokens in `content`. A token is 32 characters of lower-case base32, so one pass finds
 * every run of such characters and looks each 32-character stretch up, instead of searching the
 * whole content once per token.
 */
function sessionTokensIn(content: Buffer, tokens: Set<string>): string[] {
  const found: string[] = [];
  for (const [run] of content.toString("latin1").matchAll(/[a-z2-7]{32,}/g)) {
    for (let at = 0; at + 32 <= run.length; at++) if (tokens.has(run.slice(at, at + 32))) found.push(run.slice(at, at + 32));
  }
  return found;
}

function linesOf(file: string): string[] {
  return existsSync(file) ? [...new Set(readFileSync(file, "utf8").split("\n").filter(Boolean))] : [];
}

interface DatabaseDump {
  /** Each table's rows as JSON lines, by schema-qualified name. */
  tables: Map<string, string>;
  /** The reports table's files under the data directory (heap and TOAST, all forks and segments), relative to it. */
  reportFiles: string[];
}

async function dumpDatabase(): Promise<DatabaseDump> {
  const credentials = JSON.parse(readFileSync(path.join(e2eDataDir, "postgres-credentials.json"), "utf8")) as { user: string; password: string; port: number };
  const client = new pg.Client({ host: "127.0.0.1", port: credentials.port, user: credentials.user, password: credentials.password, database: "hearth" });
  await client.connect();
  try {
    await client.query("CHECKPOINT");
    const tables = await client.query<{ name: string }>(
      "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    const dump = new Map<string, string>();
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${name} t`);
      dump.set(name, rows.rows.map((r) => r.row).join("\n"));
    }
    const files = await client.query<{ path: string | null }>(
      `SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c
       WHERE c.oid = $1::regclass OR c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = $1::regclass)
          OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = (SELECT reltoastrelid FROM pg_class WHERE oid = $1::regclass))`,
      [REPORTS_TABLE],
    );
    return { tables: dump, reportFiles: files.rows.flatMap((r) => (r.path ? [path.join("postgres", r.path)] : [])) };
  } finally {
    await client.end();
  }
}

export default async function noPlaintextAtRest(): Promise<void> {
  const secrets = linesOf(secretsLedgerFile);
  const files = linesOf(binarySecretsFile).map((hex) => ({ hex, forms: binaryEncodings(Buffer.from(hex, "hex")) }));
  const tokens = new Set(linesOf(sessionTokensFile));
  if (!secrets.length && !files.length && !tokens.size) {
    console.log("no-plaintext check: no test wrote anything down in this run, nothing to look for.");
    return;
  }
  const reported = new Set(linesOf(reportedSecretsFile));
  const dump = await dumpDatabase();
  /** Where a reported message may be: its own table, that table's files, and the write-ahead log. */
  const mayHoldReported = (name: string) =>
    name === `table ${REPORTS_TABLE}` ||
    dump.reportFiles.some((file) => name === file || name.startsWith(`${file}.`) || name.startsWith(`${file}_`)) ||
    name.startsWith("postgres/pg_wal/");
  const places: { name: string; read: () => Buffer }[] = [
    ...[...dump.tables].map(([table, rows]) => ({ name: `table ${table}`, read: () => Buffer.from(rows, "utf8") })),
    { name: "server log", read: () => (existsSync(serverLogFile) ? readFileSync(serverLogFile) : Buffer.alloc(0)) },
    ...[...filesUnder(path.join(e2eDataDir, "postgres")), ...filesUnder(path.join(e2eDataDir, "chat-attachments"))].map((file) => ({
      name: path.relative(e2eDataDir, file),
      read: () => readFileSync(file),
    })),
  ];
  const leaks: string[] = [];
  let scanned = 0;
  for (const place of places) {
    const content = place.read();
    scanned += content.length;
    for (const secret of secrets) {
      if (reported.has(secret) && mayHoldReported(place.name)) continue;
      for (const form of encodings(secret)) if (content.includes(form)) leaks.push(`${JSON.stringify(secret)} in ${place.name}`);
    }
    for (const file of files)
      if (file.forms.some((form) => content.includes(form))) leaks.push(`bytes of a file sent (${file.hex.slice(0, 12)}…) in ${place.name}`);
    for (const token of sessionTokensIn(content, tokens)) leaks.push(`session token ${token.slice(0, 6)}… in ${place.name}`);
  }
  // A reported message must have reached the operators (else its exception would hide nothing but a broken report).
  const reports = dump.tables.get(REPORTS_TABLE) ?? "";
  for (const secret of reported)
    if (!reports.includes(JSON.stringify(secret).slice(1, -1))) leaks.push(`reported ${JSON.stringify(secret)} is not in ${REPORTS_TABLE}`);
  // The check must not pass for want of tokens: every test that writes anything down signs someone up.
  if (!tokens.size) leaks.push("secrets were written down but no session token (is the session cookie still named hearth_session?)");
  if (!existsSync(serverLogFile) || statSync(serverLogFile).size === 0) leaks.push("the server log is missing or empty (HEARTH_LOG_FILE not honoured?)");
  if (leaks.length) throw new Error(`Plaintext reached the server:\n${leaks.join("\n")}`);
  console.log(
    `no-plaintext check: ${secrets.length} secrets (${reported.size} reported, found only in ${REPORTS_TABLE}), ${files.length} files, ${tokens.size} session tokens, ${places.length} places, ${(scanned / 1e6).toFixed(1)} MB scanned, none found.`,
  );
}
