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
 * schemas do it). A taken handle is reported as such (handles are public); a taken email is
 * reported without saying more, and only to the rate-limited sign-up form.
 * @throws AppError HANDLE_TAKEN | EMAIL_UNAVAILABLE
 */
export async function createUser(options: {
  actor: Actor;
  purpose: Extract<Purpose, "core.account">;
  handle: string;
  email: string;
  passwordHash: string;
  locale: string | null;
}): Promise<PublicAccount> {
  try {
    return await db().user.create({
      data: {
        handle: options.handle,
        email: options.email,
        passwordHash: options.passwordHash,
        displayName: options.handle,
        locale: options.locale,
        profile: { create: {} },
      },
      select: publicAccountSelect,
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const target = JSON.stringify(error.meta ?? {});
      if (target.includes("handle")) throw new AppError("HANDLE_TAKEN", "That handle is taken.", { field: "handle" });
      throw new AppError("EMAIL_UNAVAILABLE", "That email address cannot be used.", { field: "email" });
    }
    throw error;
  }
}

export interface LoginCredentials {
  userId: string;
  /** The account's email, whichever form was typed: failed log-ins count against it. */
  email: string;
  passwordHash: string;
  locale: string | null;
  /** Set while the account is deleted but restorable (until `purgeAfter`). */
  deactivatedAt: Date | null;
  purgeAfter: Date | null;
  /** Set while an operator has the account suspended. */
  suspendedAt: Date | null;
}

/** The stored password hash for a login attempt; null when no account has that email or handle. */
export async function findLoginCredentials(options: {
  purpose: Extract<Purpose, "core.security">;
  /** What was typed, or the account a passkey or a pending two-factor log-in names. */
  account: { email: string } | { handle: string } | { userId: string };
}): Promise<LoginCredentials | null> {
  const { account } = options;
  const user = await db().user.findUnique({
    where: "email" in account ? { email: account.email } : "handle" in account ? { handle: account.handle } : { id: account.userId },
    select: { id: true, email: true, passwordHash: true, locale: true, deactivatedAt: true, purgeAfter: true, suspendedAt: true },
  });
  return (
    user && {
      userId: user.id,
      email: user.email,
      passwordHash: user.passwordHash,
      locale: user.locale,
      deactivatedAt: user.deactivatedAt,
      purgeAfter: user.purgeAfter,
      suspendedAt: user.suspendedAt,
    }
  );
}

/** The actor's own password hash, to confirm a dangerous action. */
export async function findPasswordHash(options: { actor: PersonActor; purpose: Extract<Purpose, "core.security"> }): Promise<string> {
  const user = await db().user.findUniqueOrThrow({ where: { id: options.actor.userId }, select: { passwordHash: true } });
  return user.passwordHash;
}

export async function setUserLocale(options: { actor: PersonActor; purpose: Extract<Purpose, "core.account">; locale: string | null }): Promise<void> {
  await db().user.update({ where: { id: options.actor.userId }, data: { locale: options.locale } });
}
