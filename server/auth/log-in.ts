import "server-only";
import { person } from "../data/actor";
import { findLoginCredentials } from "../data/auth/users";
import { restoreAccount } from "../data/privacy/account-deletion";
import { AppError } from "../errors";
import { verifyAgainstDummyHash, verifyPassword } from "./password";
import {
  countRateLimitHit,
  enforceRateLimit,
  rateLimitRules,
  refuseIfRateLimited,
  resetRateLimit,
} from "./rate-limits";
import { startSession } from "./sessions";

/**
 * Checks an email and password and starts a session. An unknown email and a wrong password give
 * the same error after the same work, and both count against the per-account limit, so neither
 * the message nor the timing nor the limit tells whether an address is registered.
 * @throws AppError RATE_LIMITED | INVALID_CREDENTIALS
 */
export async function logIn(options: {
  email: string;
  password: string;
  clientIp: string;
  userAgent: string | null;
}): Promise<{ token: string; expiresAt: Date; locale: string | null; restored: boolean }> {
  const { logInPerIp, logInFailuresPerAccount } = rateLimitRules;
  await enforceRateLimit(logInPerIp, options.clientIp);
  await refuseIfRateLimited(logInFailuresPerAccount, options.email);

  const credentials = await findLoginCredentials({ purpose: "core.security", email: options.email });
  const passwordMatches = credentials
    ? await verifyPassword(credentials.passwordHash, options.password)
    : (await verifyAgainstDummyHash(options.password), false);
  // A deleted account past its restore window is as good as gone, whatever the password.
  const purged = credentials?.deactivatedAt && (!credentials.purgeAfter || credentials.purgeAfter <= new Date());
  if (!credentials || !passwordMatches || purged) {
    await countRateLimitHit(logInFailuresPerAccount, options.email);
    throw new AppError("INVALID_CREDENTIALS", "Wrong email or password.");
  }

  await resetRateLimit(logInFailuresPerAccount, options.email);
  // Logging in to a deleted account within 30 days restores it.
  const restored = credentials.deactivatedAt !== null && (await restoreAccount({ actor: person(credentials.userId), purpose: "core.privacy" }));
  const { token, session } = await startSession({ userId: credentials.userId, userAgent: options.userAgent });
  return { token, expiresAt: session.expiresAt, locale: credentials.locale, restored };
}
