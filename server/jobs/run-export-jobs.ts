// The export worker: builds queued exports one at a time. Safe with several server instances
// (jobs are claimed with SKIP LOCKED).
import "server-only";
import { randomUUID } from "node:crypto";
import { claimNextExport, completeExport, failExport, reportExportProgress } from "../data/privacy/export-jobs";
import { buildDataExport } from "../privacy/build-data-export";
import { deleteExportFiles } from "../privacy/export-files";

/** Builds the next queued export, if any; returns whether there was one. */
export async function runNextExport(): Promise<boolean> {
  const job = await claimNextExport({ purpose: "core.privacy" });
  if (!job) return false;
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
  return true;
}

/** Builds every queued export, one after another. */
export async function drainExportQueue(): Promise<number> {
  let built = 0;
  while (await runNextExport()) built++;
  return built;
}
