// Password log-ins waiting for their second factor. The id is the SHA-256 of the token the browser
// holds; a row lives minutes, is consumed by the log-in it completes, and dies after MAX_FAILURES.
import "server-only";
import { db } from "../db";

type SecurityPurpose = "core.security";

export const PENDING_LOG_IN_MAX_FAILURES = 5;

export async function createPendingLogIn(options: { purpose: SecurityPurpose; id: string; userId: string; expiresAt: Date }): Promise<void> {
  await db().pendingLogIn.create({ data: { id: options.id, userId: options.userId, expiresAt: options.expiresAt } });
}

/** The account a live pending log-in belongs to; null when unknown, expired or used up. */
export async function findPendingLogIn(options: { purpose: SecurityPurpose; id: string; now: Date }): Promise<{ userId: string } | null> {
  return db().pendingLogIn.findFirst({
    where: { id: options.id, expiresAt: { gt: options.now }, failedAttempts: { lt: PENDING_LOG_IN_MAX_FAILURES } },
    select: { userId: true },
  });
}

/** Deletes the pending log-in as it completes; false when another request completed it first. */
export async function consumePendingLogIn(options: { purpose: SecurityPurpose; id: string; now: Date }): Promise<boolean> {
  const { count } = await db().pendingLogIn.deleteMany({
    where: { id: options.id, expiresAt: { gt: options.now }, failedAttempts: { lt: PENDING_LOG_IN_MAX_FAILURES } },
  });
  return count === 1;
}

export async function countPendingLogInFailure(options: { purpose: SecurityPurpose; id: string }): Promise<void> {
  await db().pendingLogIn.updateMany({ where: { id: options.id }, data: { failedAttempts: { increment: 1 } } });
}

export async function deleteExpiredPendingLogIns(options: { purpose: SecurityPurpose; now: Date }): Promise<number> {
  const { count } = await db().pendingLogIn.deleteMany({ where: { expiresAt: { lte: options.now } } });
  return count;
}
