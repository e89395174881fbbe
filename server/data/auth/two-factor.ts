// Two-factor records: the sealed TOTP key with the last step accepted, and the hashes of the
// recovery codes. Sealing and code checks are server/auth's; this file only stores and consumes.
import "server-only";
import type { PersonActor } from "../actor";
import { db } from "../db";

type SecurityPurpose = "core.security";

export interface StoredTwoFactor {
  sealedSecret: Uint8Array;
  enabledAt: Date | null;
  lastUsedStep: bigint | null;
}

export async function findTwoFactor(options: { userId: string; purpose: SecurityPurpose }): Promise<StoredTwoFactor | null> {
  return db().twoFactor.findUnique({ where: { userId: options.userId }, select: { sealedSecret: true, enabledAt: true, lastUsedStep: true } });
}

/** Starts (or restarts) an enrolment with a new key; false when two-factor is already on. */
export async function saveTwoFactorEnrolment(options: {
  actor: PersonActor;
  purpose: SecurityPurpose;
  sealedSecret: Uint8Array<ArrayBuffer>;
}): Promise<boolean> {
  const { userId } = options.actor;
  return db().$transaction(async (tx) => {
    const existing = await tx.twoFactor.findUnique({ where: { userId }, select: { enabledAt: true } });
    if (existing?.enabledAt) return false;
    await tx.twoFactor.upsert({
      where: { userId },
      create: { userId, sealedSecret: options.sealedSecret },
      update: { sealedSecret: options.sealedSecret, lastUsedStep: null, createdAt: new Date() },
    });
    return true;
  });
}

/**
 * Records that the code of `step` was accepted, only if it is later than the last accepted one;
 * false when another request used this step (or a later one) first, so a code works once.
 */
export async function claimTotpStep(options: { userId: string; purpose: SecurityPurpose; step: bigint }): Promise<boolean> {
  const { count } = await db().twoFactor.updateMany({
    where: { userId: options.userId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: options.step } }] },
    data: { lastUsedStep: options.step },
  });
  return count === 1;
}

/** Turns two-factor on with its first accepted step and the recovery codes' hashes; false unless an enrolment was waiting. */
export async function enableTwoFactor(options: {
  actor: PersonActor;
  purpose: SecurityPurpose;
  step: bigint;
  recoveryCodeHashes: string[];
  now: Date;
}): Promise<boolean> {
  const { userId } = options.actor;
  return db().$transaction(async (tx) => {
    const { count } = await tx.twoFactor.updateMany({
      where: { userId, enabledAt: null, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: options.step } }] },
      data: { enabledAt: options.now, lastUsedStep: options.step },
    });
    if (count !== 1) return false;
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: options.recoveryCodeHashes.map((codeHash) => ({ userId, codeHash, createdAt: options.now })) });
    return true;
  });
}

export async function replaceRecoveryCodes(options: { actor: PersonActor; purpose: SecurityPurpose; recoveryCodeHashes: string[]; now: Date }): Promise<void> {
  const { userId } = options.actor;
  await db().$transaction([
    db().recoveryCode.deleteMany({ where: { userId } }),
    db().recoveryCode.createMany({ data: options.recoveryCodeHashes.map((codeHash) => ({ userId, codeHash, createdAt: options.now })) }),
  ]);
}

/** Deletes a recovery code as it is used; false when it is not one of the account's (or was used already). */
export async function consumeRecoveryCode(options: { userId: string; purpose: SecurityPurpose; codeHash: string }): Promise<boolean> {
  const { count } = await db().recoveryCode.deleteMany({ where: { userId: options.userId, codeHash: options.codeHash } });
  return count === 1;
}

export async function countRecoveryCodes(options: { actor: PersonActor; purpose: SecurityPurpose }): Promise<number> {
  return db().recoveryCode.count({ where: { userId: options.actor.userId } });
}

/** Turns two-factor off: the key and every recovery code go. Returns whether it was on. */
export async function disableTwoFactor(options: { actor: PersonActor; purpose: SecurityPurpose }): Promise<boolean> {
  const { userId } = options.actor;
  return db().$transaction(async (tx) => {
    const { count } = await tx.twoFactor.deleteMany({ where: { userId, enabledAt: { not: null } } });
    if (count === 1) await tx.recoveryCode.deleteMany({ where: { userId } });
    return count === 1;
  });
}
