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
 * Erases the account and everything that references it (rows cascade from `users`). Returns the
 * storage keys of the person's media and export files, which the caller deletes from storage.
 */
export async function purgeAccount(options: { userId: string; purpose: "core.privacy" }): Promise<{ storageKeys: string[] }> {
  const { userId } = options;
  return db().$transaction(async (tx) => {
    const media = await tx.media.findMany({ where: { ownerId: userId }, select: { storageKey: true } });
    const exports = await tx.exportJob.findMany({ where: { userId, storageKey: { not: null } }, select: { storageKey: true } });
    await tx.$executeRaw`SELECT set_config('hearth.purging_account', ${userId}, true)`;
    await tx.user.delete({ where: { id: userId } });
    return { storageKeys: [...media.map((m) => m.storageKey), ...exports.flatMap((e) => (e.storageKey ? [e.storageKey] : []))] };
  });
}

/** Accounts whose restore window has closed. */
export async function listAccountsDueForPurge(options: { purpose: "core.privacy"; now?: Date }): Promise<string[]> {
  const rows = await db().user.findMany({ where: { purgeAfter: { lte: options.now ?? new Date() } }, select: { id: true }, take: 100 });
  return rows.map((r) => r.id);
}
