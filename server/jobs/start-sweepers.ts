import "server-only";
import { sweepExpiredAuthData } from "./sweep-expired-auth-data";
import { sweepExpiredStories } from "./sweep-expired-stories";
import { sweepUnusedUploads } from "./sweep-unused-uploads";

const SWEEPERS: { name: string; everyMs: number; run: () => Promise<unknown> }[] = [
  { name: "expired sessions", everyMs: 10 * 60 * 1000, run: () => sweepExpiredAuthData() },
  // Stories are never served after expiry; the sweep deletes them for good within a minute.
  { name: "expired stories", everyMs: 60 * 1000, run: () => sweepExpiredStories() },
  { name: "unused uploads", everyMs: 60 * 60 * 1000, run: () => sweepUnusedUploads() },
];

/** Runs the sweepers on timers for as long as the server lives. Each is idempotent across instances. */
export function startSweepers(): void {
  for (const sweeper of SWEEPERS) {
    const sweep = () => sweeper.run().catch((error: unknown) => console.error(`Sweeping ${sweeper.name} failed:`, error));
    setTimeout(sweep, 5_000).unref();
    setInterval(sweep, sweeper.everyMs).unref();
  }
}
