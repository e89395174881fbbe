import "server-only";
import { AppError } from "../../errors";
import type { Actor, PersonActor, Purpose } from "../actor";
import { db, Prisma } from "../db";

export interface PublicAccount {
  id: string;
  handle: string;
  displayName: string;
  locale: string | null;
}

const publicAccountSelect = { id: true, handle: true, displayName: true, locale: true } as const;

/**
 * Creates an account. Handle and email must already be normalised by the caller (the router's zod
 * schemas do it). A taken handle is reported as such (handles are public). A taken email is not:
 * the account is created without an address of its own, the typed one waiting in `pendingEmail`
 * (it can never be confirmed, since its link goes to nobody), so the visitor sees what any sign-up
 * shows and the caller tells the address's owner by mail instead.
 * @throws AppError HANDLE_TAKEN
 */
export async function createUser(options: {
  actor: Actor;
  purpose: Extract<Purpose, "core.account">;
  handle: string;
  email: string;
  passwordHash: string;
  locale: string | null;
}): Promise<PublicAccount & { addressTaken: boolean }> {
  const create = (address: { email: string } | { pendingEmail: string }) =>
    db().user.create({
      data: {
        handle: options.handle,
        ...address,
        passwordHash: options.passwordHash,
        displayName: options.handle,
        locale: options.locale,
        profile: { create: {} },
      },
      select: publicAccountSelect,
    });
  try {
    try {
      return { ...(await create({ email: options.email })), addressTaken: false };
    } catch (error) {
      if (!isUniqueViolation(error) || JSON.stringify(error.meta ?? {}).includes("handle")) throw error;
      return { ...(await create({ pendingEmail: options.email })), addressTaken: true };
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("HANDLE_TAKEN", "That handle is taken.", { field: "handle" });
    throw error;
  }
}

function isUniqueViolation(error: unknown): error is Prisma.PrismaClientKnownRequestError {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** What a mail to an account needs, and what its address section shows. */
export interface AccountAddress {
  userId: string;
  handle: string;
  locale: string | null;
  email: string | null;
  emailVerifiedAt: Date | null;
  pendingEmail: string | null;
  deactivatedAt: Date | null;
}

const accountAddressSelect = { id: true, handle: true, locale: true, email: true, emailVerifiedAt: true, pendingEmail: true, deactivatedAt: true } as const;

function toAccountAddress(user: { id: string } & Omit<AccountAddress, "userId">): AccountAddress {
  const { id, ...rest } = user;
  return { userId: id, ...rest };
}

/** The account whose address this is (verified or not); null when none has it. */
export async function findAccountByEmail(options: { purpose: Extract<Purpose, "core.security">; email: string }): Promise<AccountAddress | null> {
  const user = await db().user.findUnique({ where: { email: options.email }, select: accountAddressSelect });
  return user && toAccountAddress(user);
}

export async function findAccountAddress(options: {
  actor: PersonActor;
  purpose: Extract<Purpose, "core.account" | "core.security">;
}): Promise<AccountAddress> {
  return toAccountAddress(await db().user.findUniqueOrThrow({ where: { id: options.actor.userId }, select: accountAddressSelect }));
}

/**
 * Confirms an address whose link was followed: the account's own (now verified), or its pending
 * one (now its address, verified; the old one is returned for the notice). Null when the account
 * holds neither any more (the link is stale).
 * @throws AppError EMAIL_UNAVAILABLE when another account took the address meanwhile
 */
export async function confirmEmail(options: {
  actor: PersonActor;
  purpose: Extract<Purpose, "core.security">;
  email: string;
  now: Date;
}): Promise<{ changedFrom: string | null } | null> {
  const { userId } = options.actor;
  const verified = await db().user.updateMany({ where: { id: userId, email: options.email }, data: { emailVerifiedAt: options.now } });
  if (verified.count === 1) return { changedFrom: null };
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, pendingEmail: true } });
      if (!user || user.pendingEmail !== options.email) return null;
      await tx.user.update({ where: { id: userId }, data: { email: options.email, pendingEmail: null, emailVerifiedAt: options.now } });
      return { changedFrom: user.email };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("EMAIL_UNAVAILABLE", "That email address cannot be used.", { field: "email" });
    throw error;
  }
}

/** Sets (or, with null, withdraws) the address waiting for confirmation. */
export async function setPendingEmail(options: { actor: PersonActor; purpose: Extract<Purpose, "core.account">; email: string | null }): Promise<void> {
  await db().user.update({ where: { id: options.actor.userId }, data: { pendingEmail: options.email } });
}

export async function setPasswordHash(options: { actor: PersonActor; purpose: Extract<Purpose, "core.security">; passwordHash: string }): Promise<void> {
  await db().user.update({ where: { id: options.actor.userId }, data: { passwordHash: options.passwordHash } });
}

export interface LoginCredentials {
  userId: string;
  passwordHash: string;
  locale: string | null;
  /** Set while the account is deleted but restorable (until `purgeAfter`). */
  deactivatedAt: Date | null;
  purgeAfter: Date | null;
  /** Set while an operator has the account suspended. */
  suspendedAt: Date | null;
}

const credentialsSelect = { id: true, passwordHash: true, locale: true, deactivatedAt: true, purgeAfter: true, suspendedAt: true } as const;

function toCredentials(user: { id: string } & Omit<LoginCredentials, "userId">): LoginCredentials {
  const { id, ...rest } = user;
  return { userId: id, ...rest };
}

/** The stored password hash and state of the account a log-in names; null when there is none. */
export async function findLoginCredentials(options: {
  purpose: Extract<Purpose, "core.security">;
  /** What was typed, or the account a passkey or a pending two-factor log-in names. */
  account: { email: string } | { handle: string } | { userId: string };
}): Promise<LoginCredentials | null> {
  const { account } = options;
  const user = await db().user.findUnique({
    where: "email" in account ? { email: account.email } : "handle" in account ? { handle: account.handle } : { id: account.userId },
    select: credentialsSelect,
  });
  return user && toCredentials(user);
}

/**
 * The newest account waiting for an address it does not hold (a sign-up whose address was taken,
 * or a change not yet confirmed): it logs in by that address too (server/auth/log-in.ts says why).
 */
export async function findLoginCredentialsWaitingFor(options: { purpose: Extract<Purpose, "core.security">; email: string }): Promise<LoginCredentials | null> {
  const user = await db().user.findFirst({ where: { pendingEmail: options.email }, orderBy: { createdAt: "desc" }, select: credentialsSelect });
  return user && toCredentials(user);
}

/** The actor's own password hash, to confirm a dangerous action. */
export async function findPasswordHash(options: { actor: PersonActor; purpose: Extract<Purpose, "core.security"> }): Promise<string> {
  const user = await db().user.findUniqueOrThrow({ where: { id: options.actor.userId }, select: { passwordHash: true } });
  return user.passwordHash;
}

export async function setUserLocale(options: { actor: PersonActor; purpose: Extract<Purpose, "core.account">; locale: string | null }): Promise<void> {
  await db().user.update({ where: { id: options.actor.userId }, data: { locale: options.locale } });
}
