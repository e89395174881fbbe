// Account deletion (GDPR Art. 17): deactivation hides the account everywhere at once and keeps it
// restorable for 30 days; the purge then erases every row about the person. The purge is the
// only code allowed to delete consent-ledger rows (the database checks `hearth.purging_account`).
import "server-only";
import type { PersonActor } from "../actor";
import { db } from "../db";

export const RESTORE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/** Deactivates the actor's account and ends all of its sessions. */
export async function deactivateAccount(options: { actor: PersonActor; purpose: "core.privacy"; now?: Date }): Promise<{ purgeAfter: Date }> {
  const now = options.now ?? new Date();
  const purgeAfter = new Date(now.getTime() + RESTORE_WINDOW_MS);
  const userId = options.actor.userId;
  await db().$transaction([
    db().user.update({ where: { id: userId }, data: { deactivatedAt: now, purgeAfter } }),
    db().session.deleteMany({ where: { userId } }),
    db().presence.deleteMany({ where: { userId } }),
    // A deactivated account gets no messages, so nothing is left to wake its devices for.
    db().chatPushSubscription.deleteMany({ where: { device: { userId } } }),
  ]);
  return { purgeAfter };
}

/** Undoes a deactivation while the restore window is open; false when it has closed. */
export async function restoreAccount(options: { actor: PersonActor; purpose: "core.privacy"; now?: Date }): Promise<boolean> {
  const now = options.now ?? new Date();
  const { count } = await db().user.updateMany({
    where: { id: options.actor.userId, deactivatedAt: { not: null }, purgeAfter: { gt: now } },
    data: { deactivatedAt: null, purgeAfter: null },
  });
  return count === 1;
}

/**
 * Erases the account and everything that references it (rows cascade from `users`; other people's
 * access-log entries that named the person keep no trace of them). Returns the storage keys of the
 * person's media and export files and the ids of their chat attachment uploads, whose files the
 * caller deletes from storage, and the handle and addresses the account had, from which the caller
 * derives its rate-limit keys to delete them too.
 */
export async function purgeAccount(options: {
  userId: string;
  purpose: "core.privacy";
}): Promise<{ storageKeys: string[]; attachmentIds: string[]; account: { emails: string[]; handle: string } }> {
  const { userId } = options;
  return db().$transaction(async (tx) => {
    const media = await tx.media.findMany({ where: { ownerId: userId }, select: { storageKey: true } });
    const exports = await tx.exportJob.findMany({ where: { userId, storageKey: { not: null } }, select: { storageKey: true } });
    const attachments = await tx.chatAttachment.findMany({ where: { uploaderId: userId }, select: { id: true } });
    await tx.$executeRaw`SELECT set_config('hearth.purging_account', ${userId}, true)`;
    const deleted = await tx.user.delete({ where: { id: userId }, select: { email: true, pendingEmail: true, handle: true } });
    const account = { handle: deleted.handle, emails: [deleted.email, deleted.pendingEmail].filter((email) => email !== null) };
    return {
      storageKeys: [...media.map((m) => m.storageKey), ...exports.flatMap((e) => (e.storageKey ? [e.storageKey] : []))],
      attachmentIds: attachments.map((a) => a.id),
      account,
    };
  });
}

/**
 * Re-samples the planner statistics of every table a purge deletes from: `users`, every table
 * that references it directly or through another, and the rate-limit windows. Until then
 * pg_statistic keeps sampled values (most common values, histogram bounds) such as the person's
 * id, handle or email. Run after the purge has committed, since ANALYZE samples only live rows.
 */
export async function refreshStatisticsAfterPurge(_options: { purpose: "core.privacy" }): Promise<void> {
  const tables = await db().$queryRaw<{ name: string }[]>`
    WITH RECURSIVE purged(oid) AS (
      SELECT to_regclass('users')::oid
      UNION
      SELECT c.conrelid FROM pg_constraint c JOIN purged p ON c.confrelid = p.oid WHERE c.contype = 'f'
    )
    SELECT format('%I.%I', n.nspname, t.relname) AS name
    FROM purged p JOIN pg_class t ON t.oid = p.oid JOIN pg_namespace n ON n.oid = t.relnamespace
    UNION
    SELECT format('%I.%I', n.nspname, t.relname) FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE t.oid = to_regclass('rate_limit_windows')
    ORDER BY 1`;
  // Names come from the catalogue, quoted by format('%I'); ANALYZE takes no bind parameters.
  await db().$executeRawUnsafe(`ANALYZE ${tables.map((t) => t.name).join(", ")}`);
}

/** Accounts whose restore window has closed. */
export async function listAccountsDueForPurge(options: { purpose: "core.privacy"; now?: Date }): Promise<string[]> {
  const rows = await db().user.findMany({ where: { purgeAfter: { lte: options.now ?? new Date() } }, select: { id: true }, take: 100 });
  return rows.map((r) => r.id);
}
