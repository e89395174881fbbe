// The key of the rate-limit MAC. It must never sit in the database: a dump alone then cannot tell
// whose counter a row is, not even by hashing every known account id, email or address. Every
// instance sharing one database must use the same key (HEARTH_RATE_LIMIT_SECRET), or each counts
// on its own and an account purge cannot find the other instances' rows.
import "server-only";
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { serverEnv } from "../env";

const SECRET_BYTES = 32;
const FILE_NAME = "rate-limit-secret";

let cached: Uint8Array | undefined;

/** The configured key, or the one in <HEARTH_DATA_DIR>/rate-limit-secret, made there (0600) on first use. */
export function rateLimitSecret(): Uint8Array {
  cached ??= loadSecret();
  return cached;
}

function loadSecret(): Uint8Array {
  const env = serverEnv();
  if (env.HEARTH_RATE_LIMIT_SECRET) return env.HEARTH_RATE_LIMIT_SECRET;
  // Tests share one database across processes; each keeps its own counters.
  if (env.NODE_ENV === "test") return new Uint8Array(randomBytes(SECRET_BYTES));
  const dir = path.resolve(env.HEARTH_DATA_DIR);
  const file = path.join(dir, FILE_NAME);
  mkdirSync(dir, { recursive: true });
  // Written aside, then linked into place: link fails if the file exists, so processes starting
  // at once all end up reading the one complete key.
  const draft = path.join(dir, `${FILE_NAME}.${process.pid}.${randomBytes(4).toString("hex")}`);
  writeFileSync(draft, randomBytes(SECRET_BYTES).toString("hex"), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(draft);
  }
  const bytes = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  if (bytes.length < SECRET_BYTES) throw new Error(`${file} must hold ${SECRET_BYTES} bytes as hex.`);
  return new Uint8Array(bytes);
}
