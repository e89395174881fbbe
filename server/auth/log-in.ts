import "server-only";
import { person } from "../data/actor";
import { findLoginCredentials, findLoginCredentialsWaitingFor, type LoginCredentials } from "../data/auth/users";
import { restoreAccount } from "../data/privacy/account-deletion";
import { AppError } from "../errors";
import { verifyAgainstDummyHash, verifyPassword } from "./password";
import { createPendingLogIn, consumePendingLogIn, countPendingLogInFailure, findPendingLogIn } from "../data/auth/pending-log-ins";
import { countRateLimitHit, enforceRateLimit, rateLimitRules, refuseIfRateLimited, resetRateLimit } from "./rate-limits";
import { generateSessionToken, isWellFormedSessionToken, sessionIdFromToken } from "./session-token";
import { startSession } from "./sessions";
import { checkSecondFactor, isTwoFactorEnabled } from "./two-factor";

/** How long the second step of a password log-in may wait. */
export const PENDING_LOG_IN_LIFETIME_MS = 5 * 60 * 1000;

/** A started session, as the router turns it into a cookie. */
export interface LoggedIn {
  outcome: "session";
  token: string;
  expiresAt: Date;
  locale: string | null;
  restored: boolean;
}

/** A right password for an account with two-factor on: no session yet, a token for the second step. */
export interface SecondFactorRequired {
  outcome: "second_factor";
  pendingToken: string;
}

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
 * A suspended account is told so, but only after the right password (or passkey): the message
 * tells nobody else that the account exists.
 * With two-factor on, a right password starts no session: it returns a short-lived, single-use
 * token for completeTwoFactorLogIn, stored only as its SHA-256.
 * @throws AppError RATE_LIMITED | INVALID_CREDENTIALS | ACCOUNT_SUSPENDED
 */
export async function logIn(options: {
  identifier: string;
  password: string;
  clientIp: string;
  userAgent: string | null;
  now?: Date;
}): Promise<LoggedIn | SecondFactorRequired> {
  const now = options.now ?? new Date();
  const { logInPerIp, logInFailuresPerAccount } = rateLimitRules;
  await enforceRateLimit(logInPerIp, options.clientIp);

  const typed = parseLogInIdentifier(options.identifier);
  const holder = await findLoginCredentials({ purpose: "core.security", account: typed });
  const waiting = "email" in typed ? await findLoginCredentialsWaitingFor({ purpose: "core.security", email: typed.email }) : null;
  const failureSubject = "email" in typed ? typed.email : `@${typed.handle}`;
  await refuseIfRateLimited(logInFailuresPerAccount, failureSubject);

  // An email may also be waiting on an account whose sign-up found it taken (sign-up.ts): that
  // account logs in with it too, or logging in would tell its maker the address was registered.
  // Both are checked for every email, found or not, so the work is the same for any address.
  const candidates = "email" in typed ? [holder, waiting] : [holder];
  let credentials: LoginCredentials | null = null;
  for (const candidate of candidates) {
    const matches = candidate ? await verifyPassword(candidate.passwordHash, options.password) : (await verifyAgainstDummyHash(options.password), false);
    if (matches && !credentials) credentials = candidate;
  }
  if (!credentials || isPastRestoreWindow(credentials, now)) {
    await countRateLimitHit(logInFailuresPerAccount, failureSubject);
    throw new AppError("INVALID_CREDENTIALS", "Wrong email, handle or password.");
  }

  await resetRateLimit(logInFailuresPerAccount, failureSubject);
  if (credentials.suspendedAt) throw new AppError("ACCOUNT_SUSPENDED", "This account is suspended.");
  if (await isTwoFactorEnabled(credentials.userId)) {
    const pendingToken = generateSessionToken();
    await createPendingLogIn({
      purpose: "core.security",
      id: sessionIdFromToken(pendingToken),
      userId: credentials.userId,
      expiresAt: new Date(now.getTime() + PENDING_LOG_IN_LIFETIME_MS),
    });
    return { outcome: "second_factor", pendingToken };
  }
  return finishLogIn({ userId: credentials.userId, locale: credentials.locale, deactivated: credentials.deactivatedAt !== null, userAgent: options.userAgent });
}

/**
 * The second step of a password log-in: a TOTP code or a recovery code for the pending token.
 * Each try counts per address; a wrong code counts against the account and the token, which dies
 * after five; the token works once.
 * @throws AppError LOG_IN_EXPIRED | CODE_INVALID | RATE_LIMITED
 */
export async function completeTwoFactorLogIn(options: {
  pendingToken: string;
  code: string;
  clientIp: string;
  userAgent: string | null;
  now?: Date;
}): Promise<LoggedIn & { usedRecoveryCode: boolean }> {
  const now = options.now ?? new Date();
  await enforceRateLimit(rateLimitRules.secondStepPerIp, options.clientIp);
  const expired = () => new AppError("LOG_IN_EXPIRED", "This log-in has expired; enter your password again.");
  if (!isWellFormedSessionToken(options.pendingToken)) throw expired();
  const id = sessionIdFromToken(options.pendingToken);
  const pending = await findPendingLogIn({ purpose: "core.security", id, now });
  if (!pending) throw expired();
  let usedRecoveryCode: boolean;
  try {
    ({ usedRecoveryCode } = await checkSecondFactor({ userId: pending.userId, code: options.code, now }));
  } catch (error) {
    if (error instanceof AppError && error.code === "CODE_INVALID") await countPendingLogInFailure({ purpose: "core.security", id });
    throw error;
  }
  if (!(await consumePendingLogIn({ purpose: "core.security", id, now }))) throw expired();
  const credentials = await findLoginCredentials({ purpose: "core.security", account: { userId: pending.userId } });
  if (!credentials || isPastRestoreWindow(credentials, now)) throw expired();
  if (credentials.suspendedAt) throw new AppError("ACCOUNT_SUSPENDED", "This account is suspended.");
  const loggedIn = await finishLogIn({
    userId: pending.userId,
    locale: credentials.locale,
    deactivated: credentials.deactivatedAt !== null,
    userAgent: options.userAgent,
  });
  return { ...loggedIn, usedRecoveryCode };
}

/** A deleted account past its restore window is as good as gone, whatever the factors. */
export function isPastRestoreWindow(account: { deactivatedAt: Date | null; purgeAfter: Date | null }, now: Date): boolean {
  return account.deactivatedAt !== null && (!account.purgeAfter || account.purgeAfter <= now);
}

/** Starts the session of a log-in whose factors all held; logging in within 30 days of deleting the account restores it. */
export async function finishLogIn(options: { userId: string; locale: string | null; deactivated: boolean; userAgent: string | null }): Promise<LoggedIn> {
  const restored = options.deactivated && (await restoreAccount({ actor: person(options.userId), purpose: "core.privacy" }));
  const { token, session } = await startSession({ userId: options.userId, userAgent: options.userAgent });
  return { outcome: "session", token, expiresAt: session.expiresAt, locale: options.locale, restored };
}
