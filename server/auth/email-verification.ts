// Verifying an address: a link mailed to it, which confirms exactly that address for that account
// (its own, or a new one it asked to move to). An address another account holds is never mailed a
// link; its owner gets a notice instead, and the asker sees what any asker sees.
import "server-only";
import { person, type PersonActor } from "../data/actor";
import { createAccountToken, deleteAccountTokens, takeAccountToken } from "../data/auth/account-tokens";
import { confirmEmail, findAccountAddress, findAccountByEmail } from "../data/auth/users";
import { AppError } from "../errors";
import { accountMail } from "../mail/account-mails";
import { publicOrigin } from "../env";
import { requireMail, sendMailLater } from "../mail/send-mail";
import { generateAccountToken, hashAccountToken, isWellFormedAccountToken, VERIFY_LINK_LIFETIME_MS } from "./account-token";
import { recordSecurityEvent } from "./security-events";
import { enforceRateLimit, rateLimitRules } from "./rate-limits";

/** Mails a verification link for `email` to it, once mail is set up (otherwise nothing). */
export async function mailVerificationLink(options: { userId: string; handle: string; email: string; locale: string | null; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const token = generateAccountToken();
  await createAccountToken({
    purpose: "core.security",
    kind: "verify_email",
    tokenHash: hashAccountToken(token),
    userId: options.userId,
    email: options.email,
    now,
    expiresAt: new Date(now.getTime() + VERIFY_LINK_LIFETIME_MS),
  });
  const link = `${publicOrigin()}/verify-email#token=${token}`;
  sendMailLater(accountMail({ kind: "verify", to: options.email, handle: options.handle, locale: options.locale, link }));
}

/**
 * Tells an address's owner that someone tried to use it for another account, at most a few times
 * an hour (mailsPerAddress); past that, silently nothing, so the asker cannot tell.
 */
export async function mailAddressTakenNotice(options: { email: string; requestLocale: string }): Promise<void> {
  const owner = await findAccountByEmail({ purpose: "core.security", email: options.email });
  if (!owner) return;
  try {
    await enforceRateLimit(rateLimitRules.mailsPerAddress, options.email);
  } catch (error) {
    if (error instanceof AppError && error.code === "RATE_LIMITED") return;
    throw error;
  }
  sendMailLater(accountMail({ kind: "addressTaken", to: options.email, handle: owner.handle, locale: owner.locale ?? options.requestLocale }));
}

/**
 * Mails the link for an address the account waits to confirm: its own unverified one, or its
 * pending one (unless another account holds that: then its owner is told instead).
 */
export async function mailLinkForUnconfirmedAddress(options: { actor: PersonActor; requestLocale: string; now?: Date }): Promise<void> {
  const account = await findAccountAddress({ actor: options.actor, purpose: "core.security" });
  const locale = account.locale ?? options.requestLocale;
  const address = account.pendingEmail ?? (account.emailVerifiedAt ? null : account.email);
  if (!address) return;
  const holder = address === account.email ? null : await findAccountByEmail({ purpose: "core.security", email: address });
  if (holder) await mailAddressTakenNotice({ email: address, requestLocale: options.requestLocale });
  else await mailVerificationLink({ userId: account.userId, handle: account.handle, email: address, locale, now: options.now });
}

/**
 * "Send the link again", for a signed-in person.
 * @throws AppError MAIL_NOT_CONFIGURED | RATE_LIMITED
 */
export async function resendVerification(options: { actor: PersonActor; requestLocale: string }): Promise<void> {
  requireMail();
  await enforceRateLimit(rateLimitRules.accountMailsPerAccount, options.actor.userId);
  await mailLinkForUnconfirmedAddress(options);
}

/**
 * Follows a verification link: the address it was sent to is confirmed for its account (and, if it
 * was a new address, becomes the account's). Whoever follows it needs no session: holding the mail
 * is the proof.
 * @throws AppError RATE_LIMITED | LINK_INVALID | EMAIL_UNAVAILABLE
 */
export async function followVerificationLink(options: { token: string; clientIp: string; now?: Date }): Promise<{ changed: boolean }> {
  const now = options.now ?? new Date();
  await enforceRateLimit(rateLimitRules.accountLinksPerIp, options.clientIp);
  const taken = isWellFormedAccountToken(options.token)
    ? await takeAccountToken({ purpose: "core.security", kind: "verify_email", tokenHash: hashAccountToken(options.token), now })
    : null;
  if (!taken) throw new AppError("LINK_INVALID", "This link has expired or was already used.");
  const actor = person(taken.userId);
  const confirmed = await confirmEmail({ actor, purpose: "core.security", email: taken.email, now });
  if (!confirmed) throw new AppError("LINK_INVALID", "This link has expired or was already used.");
  const changed = confirmed.changedFrom !== null;
  // A reset link mailed to the old address must not outlive the change.
  if (changed) await deleteAccountTokens({ purpose: "core.security", userId: taken.userId, kind: "reset_password" });
  await recordSecurityEvent({ actor, code: changed ? "email_changed" : "email_verified", now });
  return { changed };
}
