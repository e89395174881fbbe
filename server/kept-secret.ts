// A server key kept outside the database: from its environment variable, or else from a file in
// the data directory made (mode 0600) on first use. Every instance sharing one database must use the
// same key. Under tests each process makes its own, since tests share one database across processes.
import "server-only";
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { serverEnv } from "./env";

const SECRET_BYTES = 32;

/** The configured key, or the one in <HEARTH_DATA_DIR>/<fileName>, made there on first use. */
export function loadKeptSecret(options: { configured: Uint8Array | undefined; fileName: string }): Uint8Array {
  if (options.configured) return options.configured;
  const env = serverEnv();
  if (env.NODE_ENV === "test") return new Uint8Array(randomBytes(SECRET_BYTES));
  const dir = path.resolve(env.HEARTH_DATA_DIR);
  const file = path.join(dir, options.fileName);
  mkdirSync(dir, { recursive: true });
  // Written aside, then linked into place: link fails if the file exists, so processes starting
  // at once all end up reading the one complete key.
  const draft = path.join(dir, `${options.fileName}.${process.pid}.${randomBytes(4).toString("hex")}`);
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
