// The key of the rate-limit MAC. It must never sit in the database: a dump alone then cannot tell
// whose counter a row is, not even by hashing every known account id, email or address. Every
// instance sharing one database must use the same key (HEARTH_RATE_LIMIT_SECRET), or each counts
// on its own and an account purge cannot find the other instances' rows.
import "server-only";
import { serverEnv } from "../env";
import { loadKeptSecret } from "../kept-secret";

let cached: Uint8Array | undefined;

/** The configured key, or the one in <HEARTH_DATA_DIR>/rate-limit-secret, made there (0600) on first use. */
export function rateLimitSecret(): Uint8Array {
  cached ??= loadKeptSecret({ configured: serverEnv().HEARTH_RATE_LIMIT_SECRET, fileName: "rate-limit-secret" });
  return cached;
}
