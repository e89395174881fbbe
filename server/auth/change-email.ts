import "server-only";
import type { PersonActor } from "../data/actor";
import { findAccountAddress, setPendingEmail } from "../data/auth/users";
import { accountMail } from "../mail/account-mails";
import { requireMail, sendMailLater } from "../mail/send-mail";
import { confirmCurrentPassword } from "./confirm-password";
import { mailLinkForUnconfirmedAddress } from "./email-verification";
import { enforceRateLimit, rateLimitRules } from "./rate-limits";

/**
 * Asks to move the account to a new address: it waits as the pending address until the link mailed
 * to it is followed (email-verification.ts); the current address keeps working meanwhile and gets a
 * notice that names no new address. An address another account holds is treated like any other
 * here (its owner is told instead), so this form cannot test addresses either.
 * @throws AppError MAIL_NOT_CONFIGURED | RATE_LIMITED | INVALID_CREDENTIALS
 */
export async function requestEmailChange(options: {
  actor: PersonActor;
  password: string;
  newEmail: string;
  requestLocale: string;
  now?: Date;
}): Promise<void> {
  requireMail();
  const { actor } = options;
  await confirmCurrentPassword(actor, options.password);
  await enforceRateLimit(rateLimitRules.accountMailsPerAccount, actor.userId);
  const account = await findAccountAddress({ actor, purpose: "core.account" });
  if (account.email === options.newEmail) {
    // Back to the address it has: nothing waits any more.
    await setPendingEmail({ actor, purpose: "core.account", email: null });
    return;
  }
  await setPendingEmail({ actor, purpose: "core.account", email: options.newEmail });
  await mailLinkForUnconfirmedAddress({ actor, requestLocale: options.requestLocale, now: options.now });
  if (account.email) {
    sendMailLater(accountMail({ kind: "changeRequested", to: account.email, handle: account.handle, locale: account.locale ?? options.requestLocale }));
  }
}

/** Withdraws a change of address that was not confirmed yet. */
export async function cancelEmailChange(options: { actor: PersonActor }): Promise<void> {
  await setPendingEmail({ actor: options.actor, purpose: "core.account", email: null });
}
