// The export worker: builds queued exports one at a time. Safe with several server instances:
// jobs are claimed with SKIP LOCKED, and a job being built is held under an advisory lock, so an
// instance puts back in the queue only jobs whose builder died (its lock went with its connection),
// never one another live instance is building.
import "server-only";
import { randomUUID } from "node:crypto";
import { advisoryLocks } from "../data/locks/advisory-locks";
import {
  claimNextExport,
  completeExport,
  exportStillRunning,
  failExport,
  listRunningExports,
  reportExportProgress,
  requeueExport,
} from "../data/privacy/export-jobs";
import { buildDataExport } from "../privacy/build-data-export";
import { deleteExportFiles } from "../privacy/export-files";

const lockOf = (jobId: string) => `export:${jobId}`;
/** The jobs this process is building: its own locks are re-entrant, so it must not requeue these. */
const building = new Set<string>();

/** Builds the next queued export, if any; returns whether there was one. */
export async function runNextExport(): Promise<boolean> {
  const job = await claimNextExport({ purpose: "core.privacy" });
  if (!job) return false;
  // Waits out a requeue holding the lock for a moment; if that requeue came between the claim and
  // this lock, the job is queued again and another claim will take it.
  await advisoryLocks().lock(lockOf(job.id));
  try {
    if (!(await exportStillRunning({ purpose: "core.privacy", jobId: job.id }))) return true;
    building.add(job.id);
    await buildExport(job);
  } finally {
    building.delete(job.id);
    await advisoryLocks().unlock(lockOf(job.id));
  }
  return true;
}

/**
 * Puts back in the queue the running jobs nobody is building: their instance stopped or died, and
 * with it its connection and locks. Returns how many.
 */
export async function requeueInterruptedExports(): Promise<number> {
  let requeued = 0;
  for (const jobId of await listRunningExports({ purpose: "core.privacy" })) {
    if (building.has(jobId) || !(await advisoryLocks().tryLock(lockOf(jobId)))) continue;
    try {
      if (await requeueExport({ purpose: "core.privacy", jobId })) requeued++;
    } finally {
      await advisoryLocks().unlock(lockOf(jobId));
    }
  }
  return requeued;
}

async function buildExport(job: { id: string; userId: string }): Promise<void> {
  const storageKey = randomUUID();
  try {
    const { bytes } = await buildDataExport({
      userId: job.userId,
      storageKey,
      onProgress: (progress) => reportExportProgress({ jobId: job.id, progress }),
    });
    await completeExport({ jobId: job.id, userId: job.userId, storageKey, bytes });
  } catch (error) {
    console.error(`Export ${job.id} failed:`, error);
    await deleteExportFiles([storageKey]).catch(() => undefined);
    await failExport({ jobId: job.id, error: "The export could not be built. Please try again." });
  }
}

/** Builds every queued export, one after another. */
export async function drainExportQueue(): Promise<number> {
  let built = 0;
  while (await runNextExport()) built++;
  return built;
}
