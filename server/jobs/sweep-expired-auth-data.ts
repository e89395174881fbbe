// Deletes sessions past their expiry and rate-limit windows that ended long ago, so neither table
// keeps data about people longer than it serves them.
import "server-only";
import { system } from "../data/actor";
import { deleteExpiredSessions } from "../data/auth/sessions";
import { deleteStaleRateLimitWindows } from "../data/rate-limit/hit-rate-limit";

const DAY_MS = 24 * 60 * 60 * 1000;

export async function sweepExpiredAuthData(now = new Date()): Promise<{ sessions: number; rateLimitWindows: number }> {
  const actor = system("sweep-expired-auth-data");
  const sessions = await deleteExpiredSessions({ actor, purpose: "core.sessions", now });
  const rateLimitWindows = await deleteStaleRateLimitWindows({ olderThan: new Date(now.getTime() - DAY_MS) });
  return { sessions, rateLimitWindows };
}
