import "server-only";
import type { Locale } from "@/app/_shared/isomorphic/locales";
import { visitor } from "../data/actor";
import { createUser, type PublicAccount } from "../data/auth/users";
import { mailAddressTakenNotice, mailVerificationLink } from "./email-verification";
import { hashPassword } from "./password";
import { enforceRateLimit, rateLimitRules } from "./rate-limits";
import { startSession } from "./sessions";

/**
 * Creates an account and its first session; the account works at once, its address unverified
 * until the mailed link is followed. An address that already has an account is not refused, which
 * would tell anyone who tries it that it is registered: the account is made without it (it waits,
 * unconfirmable, as the pending address) and the address's owner is told by mail. Either way the
 * work is the same (one hash, one insert more or less, a mail sent after answering).
 * Inputs are already validated and normalised.
 * @throws AppError RATE_LIMITED | HANDLE_TAKEN
 */
export async function signUp(options: {
  handle: string;
  email: string;
  password: string;
  locale: Locale | null;
  requestLocale: Locale;
  clientIp: string;
  userAgent: string | null;
}): Promise<{ account: PublicAccount; token: string; expiresAt: Date }> {
  await enforceRateLimit(rateLimitRules.signUpPerIp, options.clientIp);
  const { addressTaken, ...account } = await createUser({
    actor: visitor,
    purpose: "core.account",
    handle: options.handle,
    email: options.email,
    passwordHash: await hashPassword(options.password),
    locale: options.locale,
  });
  const { token, session } = await startSession({ userId: account.id, userAgent: options.userAgent });
  const locale = options.locale ?? options.requestLocale;
  if (addressTaken) await mailAddressTakenNotice({ email: options.email, requestLocale: locale });
  else await mailVerificationLink({ userId: account.id, handle: account.handle, email: options.email, locale });
  return { account, token, expiresAt: session.expiresAt };
}
