// Privacy housekeeping: purge accounts whose restore window closed, delete exports after their
// 7 days, keep the access log for one year, and finalize yesterday's analytics totals.
import "server-only";
import { ACCESS_LOG_RETENTION_MS, deleteAccessLogOlderThan } from "../data/privacy/access-log";
import { forgetAccountRateLimits } from "../auth/rate-limits";
import { listAccountsDueForPurge, purgeAccount, refreshStatisticsAfterPurge } from "../data/privacy/account-deletion";
import { aggregateDailyCounts } from "../data/privacy/analytics";
import { deleteAttachmentBlobs } from "../data/chat/attachments";
import { deleteExpiredExports } from "../data/privacy/export-jobs";
import { deleteMediaFiles } from "../media/media-storage";
import { deleteExportFiles } from "../privacy/export-files";

/** Purges one account, its rate-limit windows and its files, then the statistics that sampled them. */
export async function purgeAccountCompletely(userId: string): Promise<void> {
  await purgeAccountAndTraces(userId);
  await refreshStatisticsAfterPurge({ purpose: "core.privacy" });
}

async function purgeAccountAndTraces(userId: string): Promise<void> {
  const { storageKeys, attachmentIds, account } = await purgeAccount({ userId, purpose: "core.privacy" });
  await forgetAccountRateLimits({ userId, ...account });
  // Media and export keys share no namespace; deleting a key from the wrong store is a no-op.
  await deleteMediaFiles(storageKeys);
  await deleteExportFiles(storageKeys.filter((key) => /^[0-9a-f-]{36}$/.test(key)));
  await deleteAttachmentBlobs({ purpose: "core.privacy", ids: attachmentIds });
}

export async function sweepDeletedAccounts(now = new Date()): Promise<number> {
  const due = await listAccountsDueForPurge({ purpose: "core.privacy", now });
  for (const userId of due) await purgeAccountAndTraces(userId);
  // Once per sweep: ANALYZE samples every purged table, which costs the same for one or 100 accounts.
  if (due.length) await refreshStatisticsAfterPurge({ purpose: "core.privacy" });
  return due.length;
}

export async function sweepExpiredExports(now = new Date()): Promise<number> {
  const keys = await deleteExpiredExports({ purpose: "core.privacy", now });
  await deleteExportFiles(keys);
  return keys.length;
}

export async function sweepOldAccessLog(now = new Date()): Promise<number> {
  return deleteAccessLogOlderThan({ purpose: "core.privacy", olderThan: new Date(now.getTime() - ACCESS_LOG_RETENTION_MS) });
}

let finalizedDay: string | undefined;

/** Keeps today's totals current and finalizes yesterday's once. */
export async function updateAnalytics(now = new Date()): Promise<void> {
  await aggregateDailyCounts({ purpose: "product_analytics", day: now, finalize: false });
  const yesterday = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const key = yesterday.toISOString().slice(0, 10);
  if (finalizedDay !== key) {
    await aggregateDailyCounts({ purpose: "product_analytics", day: yesterday, finalize: true });
    finalizedDay = key;
  }
}
