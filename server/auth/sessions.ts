// Session lifecycle (lucia-auth.com's design, implemented directly on @oslojs): 30-day sessions
// that slide forward when less than 15 days remain, deleted when found expired.
import "server-only";
import type { PublicAccount } from "../data/auth/users";
import { person } from "../data/actor";
import { createSession, deleteSession, findSessionWithAccount, touchSession, type StoredSession } from "../data/auth/sessions";
import { recordPresence } from "../data/privacy/presence";
import { deviceLabelFromUserAgent } from "@/app/_shared/isomorphic/device-label";
import { readSessionToken } from "./session-cookie";
import { generateSessionToken, isWellFormedSessionToken, sessionIdFromToken } from "./session-token";

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
const RENEW_WHEN_REMAINING_MS = 15 * DAY_MS;
/** lastUsedAt is written at most this often, so reads stay reads. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface ValidSession {
  session: StoredSession;
  account: PublicAccount;
}

export async function startSession(options: { userId: string; userAgent: string | null; now?: Date }): Promise<{ token: string; session: StoredSession }> {
  const now = options.now ?? new Date();
  const token = generateSessionToken();
  const session = await createSession({
    purpose: "core.sessions",
    sessionId: sessionIdFromToken(token),
    userId: options.userId,
    deviceLabel: deviceLabelFromUserAgent(options.userAgent),
    now,
    expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
  });
  return { token, session };
}

/** The session of a request's cookie, extended if due; null when there is none or it is not valid. */
export async function validateRequestSession(headers: Headers, now = new Date()): Promise<ValidSession | null> {
  const token = readSessionToken(headers.get("cookie"));
  return token ? validateSessionToken(token, now) : null;
}

/** The session and its account for a token, extended if due; null when unknown or expired. */
export async function validateSessionToken(token: string, now = new Date()): Promise<ValidSession | null> {
  if (!isWellFormedSessionToken(token)) return null;
  const sessionId = sessionIdFromToken(token);
  const found = await findSessionWithAccount({ purpose: "core.sessions", sessionId });
  if (!found) return null;
  const { session } = found;
  if (session.expiresAt.getTime() <= now.getTime()) {
    await deleteSession({ actor: person(session.userId), purpose: "core.sessions", sessionId });
    return null;
  }
  const renew = session.expiresAt.getTime() - now.getTime() < RENEW_WHEN_REMAINING_MS;
  if (renew || now.getTime() - session.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    const expiresAt = renew ? new Date(now.getTime() + SESSION_LIFETIME_MS) : undefined;
    await touchSession({ purpose: "core.sessions", sessionId, lastUsedAt: now, expiresAt });
    await recordPresence({ userId: session.userId, purpose: "core.sessions", now });
    session.lastUsedAt = now;
    if (expiresAt) session.expiresAt = expiresAt;
  }
  return found;
}
