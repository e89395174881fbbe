import "server-only";
import { sweepExpiredAuthData } from "./sweep-expired-auth-data";
import { sweepExpiredStories } from "./sweep-expired-stories";
import { sweepUnusedUploads } from "./sweep-unused-uploads";
import { drainExportQueue, requeueInterruptedExports } from "./run-export-jobs";
import { sweepDeletedAccounts, sweepExpiredExports, sweepOldAccessLog, updateAnalytics } from "./sweep-privacy";
import { runExclusively } from "../data/locks/advisory-locks";
import { system } from "../data/actor";
import { sweepExpiredAttachments } from "../data/chat/attachments";
import { sweepExpiredLinkSlots } from "../data/chat/device-links";
import { sweepExpiredEnvelopes } from "../data/chat/envelopes";

// Every sweeper runs on every instance, under an advisory lock named after it: one instance sweeps
// at a time, and when it dies another takes over at its next turn. `shared` ones run everywhere at
// once: the export builders split the queue between them (SKIP LOCKED).
const SWEEPERS: { name: string; everyMs: number; run: () => Promise<unknown>; shared?: true }[] = [
  { name: "expired sessions", everyMs: 10 * 60 * 1000, run: () => sweepExpiredAuthData() },
  // Stories are never served after expiry; the sweep deletes them for good within a minute.
  { name: "expired stories", everyMs: 60 * 1000, run: () => sweepExpiredStories() },
  { name: "unused uploads", everyMs: 60 * 60 * 1000, run: () => sweepUnusedUploads() },
  { name: "data exports", everyMs: 2 * 1000, run: () => drainExportQueue(), shared: true },
  // Exports whose builder stopped or died go back in the queue (a live builder's lock keeps its own).
  { name: "interrupted exports", everyMs: 60 * 1000, run: () => requeueInterruptedExports() },
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

/** Runs the sweepers on timers for as long as the server lives. Each is also idempotent, should two ever overlap. */
export function startSweepers(): void {
  for (const [index, sweeper] of SWEEPERS.entries()) {
    // Each sweeper waits for its previous run to finish before the next is scheduled.
    const loop = async () => {
      try {
        if (sweeper.shared) await sweeper.run();
        else await runExclusively(`sweeper:${sweeper.name}`, sweeper.run);
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
