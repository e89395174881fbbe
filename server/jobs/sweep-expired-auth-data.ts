// Deletes sessions and mailed links past their expiry, rate-limit windows that ended long ago, and
// WebAuthn challenges and pending two-factor log-ins past their five minutes, so no table keeps data
// about people longer than it serves them.
import "server-only";
import { system } from "../data/actor";
import { deleteExpiredAccountTokens } from "../data/auth/account-tokens";
import { deleteExpiredWebAuthnChallenges } from "../data/auth/passkeys";
import { deleteExpiredPendingLogIns } from "../data/auth/pending-log-ins";
import { deleteExpiredSessions } from "../data/auth/sessions";
import { deleteStaleRateLimitWindows } from "../data/rate-limit/hit-rate-limit";

const DAY_MS = 24 * 60 * 60 * 1000;

export async function sweepExpiredAuthData(
  now = new Date(),
): Promise<{ sessions: number; rateLimitWindows: number; webAuthnChallenges: number; pendingLogIns: number }> {
  const actor = system("sweep-expired-auth-data");
  const sessions = await deleteExpiredSessions({ actor, purpose: "core.sessions", now });
  await deleteExpiredAccountTokens({ actor, purpose: "core.security", now });
  const rateLimitWindows = await deleteStaleRateLimitWindows({ olderThan: new Date(now.getTime() - DAY_MS) });
  const webAuthnChallenges = await deleteExpiredWebAuthnChallenges({ purpose: "core.security", now });
  const pendingLogIns = await deleteExpiredPendingLogIns({ purpose: "core.security", now });
  return { sessions, rateLimitWindows, webAuthnChallenges, pendingLogIns };
}
