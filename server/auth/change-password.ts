import "server-only";
import type { PersonActor } from "../data/actor";
import { deleteAccountTokens } from "../data/auth/account-tokens";
import { deleteOtherSessions } from "../data/auth/sessions";
import { setPasswordHash } from "../data/auth/users";
import { confirmCurrentPassword } from "./confirm-password";
import { hashPassword } from "./password";
import { recordSecurityEvent } from "./security-events";

/**
 * Changes the password after checking the current one; open reset links stop working, and with
 * `endOtherSessions` every other browser is logged out.
 * @throws AppError RATE_LIMITED | INVALID_CREDENTIALS
 */
export async function changePassword(options: {
  actor: PersonActor;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  endOtherSessions: boolean;
  now?: Date;
}): Promise<{ endedSessions: number }> {
  const { actor } = options;
  await confirmCurrentPassword(actor, options.currentPassword);
  await setPasswordHash({ actor, purpose: "core.security", passwordHash: await hashPassword(options.newPassword) });
  await deleteAccountTokens({ purpose: "core.security", userId: actor.userId, kind: "reset_password" });
  const endedSessions = options.endOtherSessions ? await deleteOtherSessions({ actor, purpose: "core.sessions", keepSessionId: options.sessionId }) : 0;
  await recordSecurityEvent({ actor, code: "password_changed", now: options.now });
  return { endedSessions };
}
