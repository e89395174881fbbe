import "server-only";
import type { Actor, PersonActor, Purpose } from "../actor";
import { db, PREPARED } from "../db";
import type { PublicAccount } from "./users";

type SessionPurpose = Extract<Purpose, "core.sessions">;

export interface StoredSession {
  id: string;
  userId: string;
  deviceLabel: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

export async function createSession(options: {
  purpose: SessionPurpose;
  /** SHA-256 of the session token, hex. */
  sessionId: string;
  userId: string;
  deviceLabel: string;
  now: Date;
  expiresAt: Date;
}): Promise<StoredSession> {
  return db().session.create({
    data: {
      id: options.sessionId,
      userId: options.userId,
      deviceLabel: options.deviceLabel,
      createdAt: options.now,
      lastUsedAt: options.now,
      expiresAt: options.expiresAt,
    },
  });
}

export async function findSessionWithAccount(options: {
  purpose: SessionPurpose;
  sessionId: string;
}): Promise<{ session: StoredSession; account: PublicAccount } | null> {
  // One statement (Prisma's include is two): every signed-in request runs this.
  const [row] = await db().$queryRaw<
    {
      id: string;
      user_id: string;
      device_label: string;
      created_at: Date;
      last_used_at: Date;
      expires_at: Date;
      handle: string;
      display_name: string;
      locale: string | null;
      suspended_at: Date | null;
    }[]
  >`${PREPARED}
    SELECT s.id, s.user_id::text AS user_id, s.device_label, s.created_at, s.last_used_at, s.expires_at, u.handle, u.display_name, u.locale, u.suspended_at
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ${options.sessionId}`;
  // Suspending deletes the account's sessions; one read just before that is refused here.
  if (!row || row.suspended_at) return null;
  return {
    session: {
      id: row.id,
      userId: row.user_id,
      deviceLabel: row.device_label,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at,
    },
    account: { id: row.user_id, handle: row.handle, displayName: row.display_name, locale: row.locale },
  };
}

/** Records use of a session and, when given, its new expiry (sliding expiration). */
export async function touchSession(options: { purpose: SessionPurpose; sessionId: string; lastUsedAt: Date; expiresAt?: Date }): Promise<void> {
  await db().session.updateMany({
    where: { id: options.sessionId },
    data: { lastUsedAt: options.lastUsedAt, ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}) },
  });
}

export async function listSessions(options: { actor: PersonActor; purpose: SessionPurpose; now: Date }): Promise<StoredSession[]> {
  return db().session.findMany({
    where: { userId: options.actor.userId, expiresAt: { gt: options.now } },
    orderBy: { lastUsedAt: "desc" },
  });
}

/** Deletes one of the actor's own sessions; returns false when it is not theirs or is gone. */
export async function deleteSession(options: { actor: PersonActor; purpose: SessionPurpose; sessionId: string }): Promise<boolean> {
  const { count } = await db().session.deleteMany({
    where: { id: options.sessionId, userId: options.actor.userId },
  });
  return count === 1;
}

export async function deleteOtherSessions(options: { actor: PersonActor; purpose: SessionPurpose; keepSessionId: string }): Promise<number> {
  const { count } = await db().session.deleteMany({
    where: { userId: options.actor.userId, id: { not: options.keepSessionId } },
  });
  return count;
}

export async function deleteExpiredSessions(options: { actor: Actor; purpose: SessionPurpose; now: Date }): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { expiresAt: { lte: options.now } } });
  return count;
}

/** Ends every session of the account (a password reset). */
export async function deleteAllSessions(options: { actor: PersonActor; purpose: SessionPurpose }): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { userId: options.actor.userId } });
  return count;
}
