// "Forgot password?": a single-use link, good for 30 minutes, mailed only to a verified address.
// Asking answers the same for every address (registered or not, verified or not) after the same
// work, and counts against the same limits; the mail goes out after the answer. Following the link
// sets the new password, ends every session of the account and starts a fresh one here.
import "server-only";
import { person } from "../data/actor";
import { createAccountToken, deleteAccountTokens, takeAccountToken } from "../data/auth/account-tokens";
import { deleteAllSessions } from "../data/auth/sessions";
import { findAccountByEmail, setPasswordHash } from "../data/auth/users";
import { AppError } from "../errors";
import { accountMail } from "../mail/account-mails";
import { publicOrigin } from "../env";
import { requireMail, sendMailLater } from "../mail/send-mail";
import { generateAccountToken, hashAccountToken, isWellFormedAccountToken, RESET_LINK_LIFETIME_MS } from "./account-token";
import { hashPassword } from "./password";
import { recordSecurityEvent } from "./security-events";
import { enforceRateLimit, rateLimitRules } from "./rate-limits";
import { startSession } from "./sessions";

/**
 * Mails a reset link if the address is an account's verified address; otherwise does nothing, and
 * says nothing about which it was.
 * @throws AppError MAIL_NOT_CONFIGURED | RATE_LIMITED
 */
export async function requestPasswordReset(options: { email: string; clientIp: string; requestLocale: string; now?: Date }): Promise<void> {
  requireMail();
  const now = options.now ?? new Date();
  await enforceRateLimit(rateLimitRules.passwordResetsPerIp, options.clientIp);
  await enforceRateLimit(rateLimitRules.mailsPerAddress, options.email);
  const account = await findAccountByEmail({ purpose: "core.security", email: options.email });
  const token = generateAccountToken();
  if (!account || !account.emailVerifiedAt || account.deactivatedAt) return;
  await createAccountToken({
    purpose: "core.security",
    kind: "reset_password",
    tokenHash: hashAccountToken(token),
    userId: account.userId,
    email: options.email,
    now,
    expiresAt: new Date(now.getTime() + RESET_LINK_LIFETIME_MS),
  });
  const link = `${publicOrigin()}/reset-password#token=${token}`;
  sendMailLater(accountMail({ kind: "reset", to: options.email, handle: account.handle, locale: account.locale ?? options.requestLocale, link }));
}

/**
 * Sets a new password with a reset link's token, ends every session of the account (and its other
 * reset links), and starts a new session for this browser.
 * @throws AppError RATE_LIMITED | LINK_INVALID
 */
export async function resetPassword(options: {
  token: string;
  newPassword: string;
  clientIp: string;
  userAgent: string | null;
  now?: Date;
}): Promise<{ token: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  await enforceRateLimit(rateLimitRules.accountLinksPerIp, options.clientIp);
  // Hashed before the token is taken, so a slow hash cannot leave a taken token unused.
  const passwordHash = await hashPassword(options.newPassword);
  const taken = isWellFormedAccountToken(options.token)
    ? await takeAccountToken({ purpose: "core.security", kind: "reset_password", tokenHash: hashAccountToken(options.token), now })
    : null;
  if (!taken) throw new AppError("LINK_INVALID", "This link has expired or was already used.");
  const actor = person(taken.userId);
  await setPasswordHash({ actor, purpose: "core.security", passwordHash });
  await deleteAllSessions({ actor, purpose: "core.sessions" });
  await deleteAccountTokens({ purpose: "core.security", userId: taken.userId, kind: "reset_password" });
  await recordSecurityEvent({ actor, code: "password_reset", now });
  const { token, session } = await startSession({ userId: taken.userId, userAgent: options.userAgent, now });
  return { token, expiresAt: session.expiresAt };
}
