import "server-only";
import { person } from "../data/actor";
import { findLoginCredentials } from "../data/auth/users";
import { restoreAccount } from "../data/privacy/account-deletion";
import { AppError } from "../errors";
import { verifyAgainstDummyHash, verifyPassword } from "./password";
import { countRateLimitHit, enforceRateLimit, rateLimitRules, refuseIfRateLimited, resetRateLimit } from "./rate-limits";
import { startSession } from "./sessions";

/** What the log-in form's one field holds: an email address, or a handle with or without its "@". */
export function parseLogInIdentifier(typed: string): { email: string } | { handle: string } {
  const value = typed.trim().normalize("NFC").toLowerCase();
  if (value.startsWith("@")) return { handle: value.slice(1) };
  return value.includes("@") ? { email: value } : { handle: value };
}

/**
 * Checks an email or handle and a password and starts a session. An unknown identifier and a
 * wrong password give the same error after the same work, and both count against the per-account
 * limit, so neither the message nor the timing nor the limit tells whether an account exists.
 * Failures count under what was typed (the email, or "@" + handle with or without the "@"), for
 * known and unknown identifiers alike: a limit shared by an account's email and handle would let
 * anyone lock "@alice" and then learn, from a guess that comes back locked, which email is hers.
 * A suspended account is told so, but only after the right password: the message tells nobody else
 * that the account exists.
 * @throws AppError RATE_LIMITED | INVALID_CREDENTIALS | ACCOUNT_SUSPENDED
 */
export async function logIn(options: {
  identifier: string;
  password: string;
  clientIp: string;
  userAgent: string | null;
}): Promise<{ token: string; expiresAt: Date; locale: string | null; restored: boolean }> {
  const { logInPerIp, logInFailuresPerAccount } = rateLimitRules;
  await enforceRateLimit(logInPerIp, options.clientIp);

  const typed = parseLogInIdentifier(options.identifier);
  const credentials = await findLoginCredentials({ purpose: "core.security", account: typed });
  const failureSubject = "email" in typed ? typed.email : `@${typed.handle}`;
  await refuseIfRateLimited(logInFailuresPerAccount, failureSubject);

  const passwordMatches = credentials
    ? await verifyPassword(credentials.passwordHash, options.password)
    : (await verifyAgainstDummyHash(options.password), false);
  // A deleted account past its restore window is as good as gone, whatever the password.
  const purged = credentials?.deactivatedAt && (!credentials.purgeAfter || credentials.purgeAfter <= new Date());
  if (!credentials || !passwordMatches || purged) {
    await countRateLimitHit(logInFailuresPerAccount, failureSubject);
    throw new AppError("INVALID_CREDENTIALS", "Wrong email, handle or password.");
  }

  await resetRateLimit(logInFailuresPerAccount, failureSubject);
  if (credentials.suspendedAt) throw new AppError("ACCOUNT_SUSPENDED", "This account is suspended.");
  // Logging in to a deleted account within 30 days restores it.
  const restored = credentials.deactivatedAt !== null && (await restoreAccount({ actor: person(credentials.userId), purpose: "core.privacy" }));
  const { token, session } = await startSession({ userId: credentials.userId, userAgent: options.userAgent });
  return { token, expiresAt: session.expiresAt, locale: credentials.locale, restored };
}
