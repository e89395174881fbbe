import "server-only";
import type { PersonActor } from "../data/actor";
import { findPasswordHash } from "../data/auth/users";
import { AppError } from "../errors";
import { verifyPassword } from "./password";
import { countRateLimitHit, rateLimitRules, refuseIfRateLimited, resetRateLimit } from "./rate-limits";

/**
 * Checks the signed-in person's current password before a change to how they sign in, so that a
 * borrowed session cannot take the account over. Wrong guesses count per account.
 * @throws AppError RATE_LIMITED | INVALID_CREDENTIALS (field `currentPassword`)
 */
export async function confirmCurrentPassword(actor: PersonActor, password: string): Promise<void> {
  const rule = rateLimitRules.passwordChecksPerAccount;
  await refuseIfRateLimited(rule, actor.userId);
  if (!(await verifyPassword(await findPasswordHash({ actor, purpose: "core.security" }), password))) {
    await countRateLimitHit(rule, actor.userId);
    throw new AppError("INVALID_CREDENTIALS", "That is not your current password.", { field: "currentPassword" });
  }
  await resetRateLimit(rule, actor.userId);
}
