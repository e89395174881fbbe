// Links mailed to an address (verification, password reset): stored only as the token's SHA-256,
// deleted when followed, so each works once; a new link of a kind replaces the account's older ones.
import "server-only";
import type { Actor, Purpose } from "../actor";
import { db } from "../db";

export type AccountTokenPurpose = "verify_email" | "reset_password";
type TokenPurpose = Extract<Purpose, "core.security">;

export async function createAccountToken(options: {
  purpose: TokenPurpose;
  kind: AccountTokenPurpose;
  /** SHA-256 of the token, hex. */
  tokenHash: string;
  userId: string;
  email: string;
  now: Date;
  expiresAt: Date;
}): Promise<void> {
  await db().$transaction([
    db().accountToken.deleteMany({ where: { userId: options.userId, purpose: options.kind } }),
    db().accountToken.create({
      data: {
        id: options.tokenHash,
        userId: options.userId,
        purpose: options.kind,
        email: options.email,
        createdAt: options.now,
        expiresAt: options.expiresAt,
      },
    }),
  ]);
}

/**
 * Takes a token of the kind: deletes it and returns whose it was and for which address, or null when
 * there is none (never issued, already used, replaced) or it has expired. Two requests racing with
 * one token: the delete lets only one of them have it.
 */
export async function takeAccountToken(options: {
  purpose: TokenPurpose;
  kind: AccountTokenPurpose;
  tokenHash: string;
  now: Date;
}): Promise<{ userId: string; email: string } | null> {
  const row = await db().accountToken.findUnique({ where: { id: options.tokenHash }, select: { userId: true, email: true, purpose: true, expiresAt: true } });
  if (!row || row.purpose !== options.kind) return null;
  const { count } = await db().accountToken.deleteMany({ where: { id: options.tokenHash, purpose: options.kind } });
  if (count !== 1 || row.expiresAt.getTime() <= options.now.getTime()) return null;
  return { userId: row.userId, email: row.email };
}

/** Ends every open link of a kind for the account (a reset ends the other reset links). */
export async function deleteAccountTokens(options: { purpose: TokenPurpose; userId: string; kind: AccountTokenPurpose }): Promise<void> {
  await db().accountToken.deleteMany({ where: { userId: options.userId, purpose: options.kind } });
}

export async function deleteExpiredAccountTokens(options: { actor: Actor; purpose: TokenPurpose; now: Date }): Promise<number> {
  const { count } = await db().accountToken.deleteMany({ where: { expiresAt: { lte: options.now } } });
  return count;
}
