// Two-factor authentication by TOTP with one-time recovery codes. Enrolment keeps a sealed key
// (secret-box.ts) until the first right code turns it on and hands out the recovery codes, once.
// Every code check goes through checkSecondFactor: the current step ±1, never a step used before,
// or an unused recovery code, which is then deleted; wrong codes count against the account.
import "server-only";
import type { PersonActor } from "../data/actor";
import {
  claimTotpStep,
  consumeRecoveryCode,
  countRecoveryCodes,
  disableTwoFactor,
  enableTwoFactor,
  findTwoFactor,
  replaceRecoveryCodes,
  saveTwoFactorEnrolment,
} from "../data/auth/two-factor";
import { findPasswordHash } from "../data/auth/users";
import { AppError } from "../errors";
import { verifyPassword } from "./password";
import { countRateLimitHit, enforceRateLimit, rateLimitRules, refuseIfRateLimited } from "./rate-limits";
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from "./recovery-codes";
import { openSecret, sealSecret } from "./secret-box";
import { recordSecurityEvent } from "./security-events";
import { formatTotpKey, generateTotpKey, matchTotpStep, totpKeyUri } from "./totp";

const ISSUER = "Hearth";

/** What confirms a sensitive change: the account's password, or a current two-factor code. */
export type AccountProof = { password: string } | { code: string };

export async function twoFactorStatus(options: { actor: PersonActor }): Promise<{ enabled: boolean; enabledAt: Date | null; recoveryCodesLeft: number }> {
  const stored = await findTwoFactor({ userId: options.actor.userId, purpose: "core.security" });
  const enabledAt = stored?.enabledAt ?? null;
  return { enabled: enabledAt !== null, enabledAt, recoveryCodesLeft: enabledAt ? await countRecoveryCodes({ ...options, purpose: "core.security" }) : 0 };
}

export async function isTwoFactorEnabled(userId: string): Promise<boolean> {
  return Boolean((await findTwoFactor({ userId, purpose: "core.security" }))?.enabledAt);
}

/**
 * Makes a new key for the person to add to their app; two-factor stays off until confirmEnrolment.
 * @throws AppError TWO_FACTOR_STATE when it is on already | RATE_LIMITED
 */
export async function beginTwoFactorEnrolment(options: { actor: PersonActor; accountName: string }): Promise<{ secret: string; uri: string }> {
  await enforceRateLimit(rateLimitRules.securitySetupsPerAccount, options.actor.userId);
  const key = generateTotpKey();
  const saved = await saveTwoFactorEnrolment({ actor: options.actor, purpose: "core.security", sealedSecret: sealSecret(key, options.actor.userId) });
  if (!saved) throw new AppError("TWO_FACTOR_STATE", "Two-factor authentication is already on.");
  return { secret: formatTotpKey(key), uri: totpKeyUri({ issuer: ISSUER, accountName: options.accountName, key }) };
}

/**
 * Turns two-factor on with the first code from the app, and returns the recovery codes (shown once).
 * @throws AppError CODE_INVALID | TWO_FACTOR_STATE when no enrolment waits | RATE_LIMITED
 */
export async function confirmTwoFactorEnrolment(options: { actor: PersonActor; code: string; now: Date }): Promise<{ recoveryCodes: string[] }> {
  const { actor, now } = options;
  const subject = actor.userId;
  await refuseIfRateLimited(rateLimitRules.codeFailuresPerAccount, subject);
  const stored = await findTwoFactor({ userId: actor.userId, purpose: "core.security" });
  if (!stored || stored.enabledAt) throw new AppError("TWO_FACTOR_STATE", "No two-factor enrolment is waiting.");
  const step = matchTotpStep({ key: openSecret(stored.sealedSecret, actor.userId), code: options.code, now, lastUsedStep: stored.lastUsedStep });
  if (step === null) {
    await countRateLimitHit(rateLimitRules.codeFailuresPerAccount, subject);
    throw new AppError("CODE_INVALID", "That code is not the current one.", { field: "code" });
  }
  const recoveryCodes = generateRecoveryCodes();
  const enabled = await enableTwoFactor({ actor, purpose: "core.security", step, recoveryCodeHashes: recoveryCodes.map(hashCode), now });
  if (!enabled) throw new AppError("TWO_FACTOR_STATE", "No two-factor enrolment is waiting.");
  await recordSecurityEvent({ actor, code: "two_factor_enabled", now });
  return { recoveryCodes };
}

const hashCode = (code: string) => hashRecoveryCode(normalizeRecoveryCode(code)!);

/**
 * Checks a second factor for an account with two-factor on: a TOTP code (current step ±1, each step
 * once) or an unused recovery code, which is used up. Wrong codes count against the account.
 * @throws AppError CODE_INVALID | RATE_LIMITED
 */
export async function checkSecondFactor(options: { userId: string; code: string; now: Date }): Promise<{ usedRecoveryCode: boolean }> {
  const { userId, now } = options;
  await refuseIfRateLimited(rateLimitRules.codeFailuresPerAccount, userId);
  const stored = await findTwoFactor({ userId, purpose: "core.security" });
  const typed = options.code.trim().replace(/\s/g, "");
  if (stored?.enabledAt) {
    const step = /^\d{6}$/.test(typed)
      ? matchTotpStep({ key: openSecret(stored.sealedSecret, userId), code: typed, now, lastUsedStep: stored.lastUsedStep })
      : null;
    if (step !== null && (await claimTotpStep({ userId, purpose: "core.security", step }))) return { usedRecoveryCode: false };
    const recovery = normalizeRecoveryCode(typed);
    if (recovery && (await consumeRecoveryCode({ userId, purpose: "core.security", codeHash: hashRecoveryCode(recovery) }))) return { usedRecoveryCode: true };
  }
  await countRateLimitHit(rateLimitRules.codeFailuresPerAccount, userId);
  throw new AppError("CODE_INVALID", "That code is wrong or was used already.", { field: "code" });
}

/**
 * Confirms a sensitive change with the password or, when two-factor is on, a current code.
 * @throws AppError INVALID_CREDENTIALS (field password) | CODE_INVALID (field code) | RATE_LIMITED
 */
export async function confirmAccountProof(options: { actor: PersonActor; proof: AccountProof; now: Date }): Promise<void> {
  const { actor, proof } = options;
  await refuseIfRateLimited(rateLimitRules.confirmFailuresPerAccount, actor.userId);
  if ("password" in proof) {
    if (await verifyPassword(await findPasswordHash({ actor, purpose: "core.security" }), proof.password)) return;
    await countRateLimitHit(rateLimitRules.confirmFailuresPerAccount, actor.userId);
    throw new AppError("INVALID_CREDENTIALS", "That is not your password.", { field: "password" });
  }
  try {
    await checkSecondFactor({ userId: actor.userId, code: proof.code, now: options.now });
  } catch (error) {
    if (error instanceof AppError && error.code === "CODE_INVALID") await countRateLimitHit(rateLimitRules.confirmFailuresPerAccount, actor.userId);
    throw error;
  }
}

/**
 * Turns two-factor off after the password or a current code.
 * @throws AppError TWO_FACTOR_STATE when it is off | INVALID_CREDENTIALS | CODE_INVALID | RATE_LIMITED
 */
export async function turnOffTwoFactor(options: { actor: PersonActor; proof: AccountProof; now: Date }): Promise<void> {
  if (!(await isTwoFactorEnabled(options.actor.userId))) throw new AppError("TWO_FACTOR_STATE", "Two-factor authentication is off.");
  await confirmAccountProof(options);
  if (!(await disableTwoFactor({ actor: options.actor, purpose: "core.security" })))
    throw new AppError("TWO_FACTOR_STATE", "Two-factor authentication is off.");
  await recordSecurityEvent({ actor: options.actor, code: "two_factor_disabled", now: options.now });
}

/**
 * Replaces every recovery code with ten new ones (the old ones stop working), after the password or a current code.
 * @throws AppError TWO_FACTOR_STATE when two-factor is off | INVALID_CREDENTIALS | CODE_INVALID | RATE_LIMITED
 */
export async function regenerateRecoveryCodes(options: { actor: PersonActor; proof: AccountProof; now: Date }): Promise<{ recoveryCodes: string[] }> {
  if (!(await isTwoFactorEnabled(options.actor.userId))) throw new AppError("TWO_FACTOR_STATE", "Two-factor authentication is off.");
  await confirmAccountProof(options);
  const recoveryCodes = generateRecoveryCodes();
  await replaceRecoveryCodes({ actor: options.actor, purpose: "core.security", recoveryCodeHashes: recoveryCodes.map(hashCode), now: options.now });
  await recordSecurityEvent({ actor: options.actor, code: "recovery_codes_regenerated", now: options.now });
  return { recoveryCodes };
}
