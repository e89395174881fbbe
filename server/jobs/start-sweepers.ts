import "server-only";
import { sweepExpiredAuthData } from "./sweep-expired-auth-data";

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Runs the sweepers on a timer for as long as the server lives. Idempotent across instances. */
export function startSweepers(): void {
  const sweep = () =>
    sweepExpiredAuthData().catch((error: unknown) => console.error("Sweeping expired sessions failed:", error));
  setTimeout(sweep, 5_000).unref();
  setInterval(sweep, SWEEP_INTERVAL_MS).unref();
}
