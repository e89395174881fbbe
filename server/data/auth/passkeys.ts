// Passkeys (public keys of WebAuthn credentials) and the challenges their ceremonies sign.
// Verification is server/auth/passkeys.ts's; this file stores, lists and consumes.
import "server-only";
import type { PersonActor } from "../actor";
import { db } from "../db";

type SecurityPurpose = "core.security";

export interface StoredPasskey {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: bigint;
  transports: string[];
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function listPasskeys(options: { actor: PersonActor; purpose: SecurityPurpose }) {
  return db().passkey.findMany({
    where: { userId: options.actor.userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, credentialId: true, transports: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true },
  });
}

export async function createPasskey(options: {
  actor: PersonActor;
  purpose: SecurityPurpose;
  credentialId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
  now: Date;
}): Promise<{ id: string } | null> {
  const { actor, purpose: _purpose, counter, now, ...fields } = options;
  const existing = await db().passkey.findUnique({ where: { credentialId: options.credentialId }, select: { id: true } });
  if (existing) return null;
  return db().passkey.create({ data: { ...fields, userId: actor.userId, counter: BigInt(counter), createdAt: now }, select: { id: true } });
}

export async function findPasskeyByCredentialId(options: { purpose: SecurityPurpose; credentialId: string }): Promise<StoredPasskey | null> {
  return db().passkey.findUnique({
    where: { credentialId: options.credentialId },
    select: { id: true, userId: true, credentialId: true, publicKey: true, counter: true, transports: true, name: true, createdAt: true, lastUsedAt: true },
  });
}

/** Records a log-in: the authenticator's new counter, only if it moved forward (or stays at 0 for those that keep none). */
export async function recordPasskeyUse(options: {
  purpose: SecurityPurpose;
  id: string;
  previousCounter: bigint;
  newCounter: number;
  now: Date;
}): Promise<boolean> {
  const { count } = await db().passkey.updateMany({
    where: { id: options.id, counter: options.previousCounter },
    data: { counter: BigInt(options.newCounter), lastUsedAt: options.now },
  });
  return count === 1;
}

export async function renamePasskey(options: { actor: PersonActor; purpose: SecurityPurpose; id: string; name: string }): Promise<boolean> {
  const { count } = await db().passkey.updateMany({ where: { id: options.id, userId: options.actor.userId }, data: { name: options.name } });
  return count === 1;
}

export async function deletePasskey(options: { actor: PersonActor; purpose: SecurityPurpose; id: string }): Promise<{ name: string } | null> {
  return db().$transaction(async (tx) => {
    const found = await tx.passkey.findFirst({ where: { id: options.id, userId: options.actor.userId }, select: { name: true } });
    if (!found) return null;
    await tx.passkey.delete({ where: { id: options.id } });
    return found;
  });
}

export type ChallengeKind = "registration" | "authentication";

export async function createWebAuthnChallenge(options: {
  purpose: SecurityPurpose;
  /** SHA-256 of the challenge, hex. */
  id: string;
  kind: ChallengeKind;
  sessionId: string | null;
  expiresAt: Date;
}): Promise<void> {
  await db().webAuthnChallenge.create({ data: { id: options.id, kind: options.kind, sessionId: options.sessionId, expiresAt: options.expiresAt } });
}

/**
 * Deletes the challenge as it is used; true only for a live challenge of this kind (and, for a
 * registration, of this session), so each challenge verifies one response at most.
 */
export async function consumeWebAuthnChallenge(options: {
  purpose: SecurityPurpose;
  id: string;
  kind: ChallengeKind;
  sessionId: string | null;
  now: Date;
}): Promise<boolean> {
  const { count } = await db().webAuthnChallenge.deleteMany({
    where: { id: options.id, kind: options.kind, expiresAt: { gt: options.now }, ...(options.sessionId ? { sessionId: options.sessionId } : {}) },
  });
  return count === 1;
}

export async function deleteExpiredWebAuthnChallenges(options: { purpose: SecurityPurpose; now: Date }): Promise<number> {
  const { count } = await db().webAuthnChallenge.deleteMany({ where: { expiresAt: { lte: options.now } } });
  return count;
}
