// The limits on sign-up and log-in. Subjects (IPs, emails) are hashed before they are stored.
import "server-only";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { AppError } from "../errors";
import { clearRateLimit, hitRateLimit, peekRateLimit, type RateLimitOutcome, type RateLimitRule } from "../data/rate-limit/hit-rate-limit";

export const rateLimitRules = {
  signUpPerIp: { name: "signup:ip", max: 10, windowSeconds: 60 * 60 },
  logInPerIp: { name: "login:ip", max: 30, windowSeconds: 15 * 60 },
  /** Counts failed passwords only; a successful log-in clears it. */
  logInFailuresPerAccount: { name: "login:account", max: 5, windowSeconds: 15 * 60 },
  mediaUploadsPerAccount: { name: "media:account", max: 60, windowSeconds: 3600 },
  messagesPerAccount: { name: "messages:account", max: 600, windowSeconds: 60 },
  /** Device-link slots opened (at most 5 are open at once besides). */
  deviceLinksPerAccount: { name: "device-links:account", max: 20, windowSeconds: 3600 },
  /** Encrypted chat backups stored, up to 32 MiB each. */
  chatBackupsPerAccount: { name: "chat-backups:account", max: 60, windowSeconds: 3600 },
} as const satisfies Record<string, RateLimitRule>;

function subjectHash(subject: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(subject)));
}

/**
 * Counts a hit and refuses once the rule is used up.
 * @throws AppError RATE_LIMITED with the seconds until the window ends
 */
export async function enforceRateLimit(rule: RateLimitRule, subject: string): Promise<void> {
  refuseIfLimited(await hitRateLimit({ rule, subjectHash: subjectHash(subject) }));
}

/**
 * Refuses if the rule is already used up, without counting a hit.
 * @throws AppError RATE_LIMITED
 */
export async function refuseIfRateLimited(rule: RateLimitRule, subject: string): Promise<void> {
  refuseIfLimited(await peekRateLimit({ rule, subjectHash: subjectHash(subject) }));
}

/** Counts a hit (e.g. a failed password) without refusing this request. */
export async function countRateLimitHit(rule: RateLimitRule, subject: string): Promise<void> {
  await hitRateLimit({ rule, subjectHash: subjectHash(subject) });
}

function refuseIfLimited(outcome: RateLimitOutcome): void {
  if (outcome.allowed) return;
  throw new AppError("RATE_LIMITED", `Too many attempts; try again in ${outcome.retryAfterSeconds} s.`, {
    retryAfterSeconds: outcome.retryAfterSeconds,
  });
}

/** Forgets the subject's current window, e.g. the failure count after a good password. */
export async function resetRateLimit(rule: RateLimitRule, subject: string): Promise<void> {
  await clearRateLimit({ rule, subjectHash: subjectHash(subject) });
}
