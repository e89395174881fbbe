import "server-only";
import type { Locale } from "@/app/_shared/isomorphic/locales";
import { visitor } from "../data/actor";
import { createUser, type PublicAccount } from "../data/auth/users";
import { hashPassword } from "./password";
import { enforceRateLimit, rateLimitRules } from "./rate-limits";
import { startSession } from "./sessions";

/**
 * Creates an account and its first session. Inputs are already validated and normalised.
 * @throws AppError RATE_LIMITED | HANDLE_TAKEN | EMAIL_UNAVAILABLE
 */
export async function signUp(options: {
  handle: string;
  email: string;
  password: string;
  locale: Locale | null;
  clientIp: string;
  userAgent: string | null;
}): Promise<{ account: PublicAccount; token: string; expiresAt: Date }> {
  await enforceRateLimit(rateLimitRules.signUpPerIp, options.clientIp);
  const account = await createUser({
    actor: visitor,
    purpose: "core.account",
    handle: options.handle,
    email: options.email,
    passwordHash: await hashPassword(options.password),
    locale: options.locale,
  });
  const { token, session } = await startSession({ userId: account.id, userAgent: options.userAgent });
  return { account, token, expiresAt: session.expiresAt };
}
