import "server-only";
import { sweepExpiredAuthData } from "./sweep-expired-auth-data";
import { sweepExpiredStories } from "./sweep-expired-stories";
import { sweepUnusedUploads } from "./sweep-unused-uploads";
import { drainExportQueue } from "./run-export-jobs";
import { sweepDeletedAccounts, sweepExpiredExports, sweepOldAccessLog, updateAnalytics } from "./sweep-privacy";
import { requeueInterruptedExports } from "../data/privacy/export-jobs";
import { system } from "../data/actor";
import { sweepExpiredAttachments } from "../data/chat/attachments";
import { sweepExpiredLinkSlots } from "../data/chat/device-links";
import { sweepExpiredEnvelopes } from "../data/chat/envelopes";

const SWEEPERS: { name: string; everyMs: number; run: () => Promise<unknown> }[] = [
  { name: "expired sessions", everyMs: 10 * 60 * 1000, run: () => sweepExpiredAuthData() },
  // Stories are never served after expiry; the sweep deletes them for good within a minute.
  { name: "expired stories", everyMs: 60 * 1000, run: () => sweepExpiredStories() },
  { name: "unused uploads", everyMs: 60 * 60 * 1000, run: () => sweepUnusedUploads() },
  { name: "data exports", everyMs: 2 * 1000, run: () => drainExportQueue() },
  { name: "expired exports", everyMs: 60 * 60 * 1000, run: () => sweepExpiredExports() },
  { name: "deleted accounts", everyMs: 60 * 60 * 1000, run: () => sweepDeletedAccounts() },
  { name: "old access log entries", everyMs: 24 * 60 * 60 * 1000, run: () => sweepOldAccessLog() },
  { name: "analytics totals", everyMs: 5 * 60 * 1000, run: () => updateAnalytics() },
  // Disappearing messages are deleted at expiry, delivered or not (reads already hide them).
  {
    name: "expired message envelopes",
    everyMs: 60 * 1000,
    run: () => sweepExpiredEnvelopes({ actor: system("sweep-expired-envelopes"), purpose: "core.messaging" }),
  },
  // Device-link slots live 10 minutes (reads already ignore expired ones).
  {
    name: "expired device links",
    everyMs: 60 * 1000,
    run: () => sweepExpiredLinkSlots({ actor: system("sweep-expired-device-links"), purpose: "core.messaging" }),
  },
  // Attachments live 30 days at most (a disappearing message's until its expiry), uploads never
  // completed a day; all are refused before the sweep, which deletes them within a minute.
  {
    name: "expired chat attachments",
    everyMs: 60 * 1000,
    run: () => sweepExpiredAttachments({ actor: system("sweep-expired-attachments"), purpose: "core.messaging" }),
  },
];

/** Runs the sweepers on timers for as long as the server lives. Each is idempotent across instances. */
export function startSweepers(): void {
  // Exports a stopped server left half-built start again from the beginning.
  void requeueInterruptedExports({ purpose: "core.privacy" }).catch((error: unknown) => console.error("Requeueing exports failed:", error));
  for (const [index, sweeper] of SWEEPERS.entries()) {
    // Each sweeper waits for its previous run to finish before the next is scheduled.
    const loop = async () => {
      try {
        await sweeper.run();
      } catch (error) {
        console.error(`Sweeping ${sweeper.name} failed:`, error);
      }
      setTimeout(loop, sweeper.everyMs).unref();
    };
    // Staggered a second apart: all at once, their transactions waited on a busy pool at start-up
    // and the slowest failed with "Unable to start a transaction in the given time".
    setTimeout(loop, 5_000 + index * 1_000).unref();
  }
}
