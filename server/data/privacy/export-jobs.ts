// Data export jobs: queued by the person, built in the background by one worker at a time
// (rows are claimed with SKIP LOCKED), downloadable by their owner only, for 7 days.
import "server-only";
import type { PersonActor } from "../actor";
import { logAccess } from "../consent/consent-gate";
import { db } from "../db";

export const EXPORT_VALID_MS = 7 * 24 * 60 * 60 * 1000;

/** Queues an export, or returns the one already queued or running. */
export async function requestExport(options: { actor: PersonActor; purpose: "core.privacy" }): Promise<{ id: string }> {
  const userId = options.actor.userId;
  const pending = await db().exportJob.findFirst({ where: { userId, status: { in: ["queued", "running"] } }, select: { id: true } });
  if (pending) return pending;
  const job = await db().exportJob.create({ data: { userId }, select: { id: true } });
  await logAccess({ subjectId: userId, accessor: options.actor, action: { code: "export_requested" }, purpose: "export", categories: ["all"] });
  return job;
}

export async function listExports(options: { actor: PersonActor; purpose: "core.privacy"; now?: Date }) {
  const now = options.now ?? new Date();
  const jobs = await db().exportJob.findMany({
    where: { userId: options.actor.userId },
    orderBy: { createdAt: "desc" },
    take: 10,
    select: { id: true, status: true, progress: true, bytes: true, error: true, createdAt: true, finishedAt: true, expiresAt: true },
  });
  return jobs.map((job) => ({
    ...job,
    bytes: job.bytes === null ? null : Number(job.bytes),
    downloadable: job.status === "ready" && job.expiresAt !== null && job.expiresAt > now,
  }));
}

/** Takes the oldest queued job for this worker; null when there is none. */
export async function claimNextExport(_options: { purpose: "core.privacy" }): Promise<{ id: string; userId: string } | null> {
  const rows = await db().$queryRaw<{ id: string; user_id: string }[]>`
    UPDATE export_jobs SET status = 'running', progress = 0
    WHERE id = (SELECT id FROM export_jobs WHERE status = 'queued' ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
    RETURNING id, user_id`;
  const row = rows[0];
  return row ? { id: row.id, userId: row.user_id } : null;
}

/** The jobs marked running, by this instance or another (or by one that died). */
export async function listRunningExports(_options: { purpose: "core.privacy" }): Promise<string[]> {
  const rows = await db().exportJob.findMany({ where: { status: "running" }, select: { id: true } });
  return rows.map((row) => row.id);
}

/** Whether the job is still marked running (not put back in the queue meanwhile). */
export async function exportStillRunning(options: { purpose: "core.privacy"; jobId: string }): Promise<boolean> {
  return (await db().exportJob.count({ where: { id: options.jobId, status: "running" } })) === 1;
}

/** Puts a running job back in the queue; the caller has made sure nobody builds it. */
export async function requeueExport(options: { purpose: "core.privacy"; jobId: string }): Promise<boolean> {
  const { count } = await db().exportJob.updateMany({ where: { id: options.jobId, status: "running" }, data: { status: "queued", progress: 0 } });
  return count === 1;
}

export async function reportExportProgress(options: { jobId: string; progress: number }): Promise<void> {
  await db().exportJob.update({ where: { id: options.jobId }, data: { progress: Math.max(0, Math.min(99, Math.round(options.progress))) } });
}

export async function completeExport(options: { jobId: string; userId: string; storageKey: string; bytes: number; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  await db().$transaction([
    db().exportJob.update({
      where: { id: options.jobId },
      data: {
        status: "ready",
        progress: 100,
        storageKey: options.storageKey,
        bytes: BigInt(options.bytes),
        finishedAt: now,
        expiresAt: new Date(now.getTime() + EXPORT_VALID_MS),
      },
    }),
    db().notification.create({ data: { recipientId: options.userId, actorId: options.userId, kind: "export_ready", createdAt: now } }),
  ]);
}

export async function failExport(options: { jobId: string; error: string }): Promise<void> {
  await db().exportJob.update({ where: { id: options.jobId }, data: { status: "failed", error: options.error.slice(0, 300), finishedAt: new Date() } });
}

/** The file of a ready, unexpired export of the actor's; null for anyone else's or an expired one. */
export async function findDownloadableExport(options: { actor: PersonActor; purpose: "core.privacy"; jobId: string; now?: Date }) {
  const now = options.now ?? new Date();
  return db().exportJob.findFirst({
    where: { id: options.jobId, userId: options.actor.userId, status: "ready", expiresAt: { gt: now }, storageKey: { not: null } },
    select: { storageKey: true, bytes: true, createdAt: true },
  });
}

/** Deletes exports past their 7 days; returns the files to delete. */
export async function deleteExpiredExports(options: { purpose: "core.privacy"; now?: Date }): Promise<string[]> {
  const now = options.now ?? new Date();
  const expired = await db().exportJob.findMany({ where: { expiresAt: { lte: now } }, select: { id: true, storageKey: true } });
  await db().exportJob.deleteMany({ where: { id: { in: expired.map((e) => e.id) } } });
  return expired.flatMap((e) => (e.storageKey ? [e.storageKey] : []));
}
