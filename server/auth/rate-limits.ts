// Hearth's rate limits. A subject (an address, an email, an account id) is stored only as an
// HMAC-SHA-256 under a key kept outside the database (rate-limit-secret.ts), so a dump of
// rate_limit_windows names nobody; windows are aligned to their length, so rows hold no finer time.
import "server-only";
import { createHmac } from "node:crypto";
import { AppError } from "../errors";
import {
  clearRateLimit,
  clearRateLimits,
  hitRateLimit,
  hitRateLimits,
  peekRateLimit,
  type RateLimitOutcome,
  type RateLimitRule,
} from "../data/rate-limit/hit-rate-limit";
import { rateLimitSecret } from "./rate-limit-secret";

export const rateLimitRules = {
  signUpPerIp: { name: "signup:ip", max: 10, windowSeconds: 60 * 60 },
  logInPerIp: { name: "login:ip", max: 30, windowSeconds: 15 * 60 },
  /** Counts failed passwords only; a successful log-in clears it. */
  logInFailuresPerAccount: { name: "login:account", max: 5, windowSeconds: 15 * 60 },
  /** Second steps of password log-ins and passkey log-ins, per address (each try counts). */
  secondStepPerIp: { name: "second-step:ip", max: 30, windowSeconds: 15 * 60 },
  /** Wrong two-factor and recovery codes, per account: at 5 per 15 minutes a 6-digit code holds for years. */
  codeFailuresPerAccount: { name: "codes:account", max: 5, windowSeconds: 15 * 60 },
  /** Wrong passwords or codes given to confirm a security change (removing a passkey, disabling 2FA). */
  confirmFailuresPerAccount: { name: "confirm:account", max: 5, windowSeconds: 15 * 60 },
  /** Passkey registrations begun, and two-factor enrolments begun. */
  securitySetupsPerAccount: { name: "security-setups:account", max: 20, windowSeconds: 3600 },
  /** "Forgot password?" requests from one address (known and unknown emails alike). */
  passwordResetsPerIp: { name: "reset:ip", max: 10, windowSeconds: 3600 },
  /**
   * Mails nobody signed in asked for, per address typed: reset links and "someone tried to sign up
   * with your address" notices. Counted for unknown addresses too, so a refusal tells nothing.
   */
  mailsPerAddress: { name: "mail:address", max: 5, windowSeconds: 3600 },
  /** Verification links a signed-in person asks for (resend, change of address). */
  accountMailsPerAccount: { name: "account-mails:account", max: 5, windowSeconds: 3600 },
  /** Mailed links followed (verification, reset) from one address; tokens are 160 bits, this slows scripts. */
  accountLinksPerIp: { name: "account-links:ip", max: 30, windowSeconds: 15 * 60 },
  /** Wrong current passwords when changing the password or the address; a right one clears it. */
  passwordChecksPerAccount: { name: "password-check:account", max: 5, windowSeconds: 15 * 60 },
  mediaUploadsPerAccount: { name: "media:account", max: 60, windowSeconds: 3600 },
  messagesPerAccount: { name: "messages:account", max: 600, windowSeconds: 60 },
  /**
   * Envelopes stored, charged with each send's batch size (a group message is one envelope per
   * member device). A message to the largest group (1,000 members with 2 devices each) is about
   * 2,000 envelopes, so this allows ten of those in ten minutes, and 1:1 chat at any human pace;
   * sustained, it is 33 envelopes a second, a fifth of what one instance delivers (about 150 a
   * second, docs/benchmarks.md), so one account cannot take over an instance's delivery.
   */
  envelopesPerAccount: { name: "envelopes:account", max: 20_000, windowSeconds: 10 * 60 },
  /** Attachment uploads begun (each also counts against the 1 GiB quota of undelivered uploads). */
  attachmentsPerAccount: { name: "attachments:account", max: 120, windowSeconds: 3600 },
  /** "New message" suggestions, asked as a person types: two a second for five minutes. */
  chatSuggestionsPerAccount: { name: "chat-suggestions:account", max: 600, windowSeconds: 5 * 60 },
  /** Device-link slots opened (at most 5 are open at once besides). */
  deviceLinksPerAccount: { name: "device-links:account", max: 20, windowSeconds: 3600 },
  /** Push subscriptions saved: each also records a consent decision, and the ledger is append-only. */
  pushSubscriptionsPerAccount: { name: "push-subscriptions:account", max: 30, windowSeconds: 3600 },
  /** Encrypted chat backups stored, up to 32 MiB each. */
  chatBackupsPerAccount: { name: "chat-backups:account", max: 60, windowSeconds: 3600 },
  /**
   * Posts, replies and quotes, edits and stories: all publish text to others. Five a minute for an
   * hour is past anyone live-posting an event and stops a script within minutes. Likes, reposts and
   * bookmarks are not counted: each exists once per person and post, and undoing one removes its
   * notification, so they cannot pile up.
   */
  postsPerAccount: { name: "posts:account", max: 300, windowSeconds: 3600 },
  /** New follows and follow requests: each notifies its target, and unfollowing leaves that notification. */
  followsPerAccount: { name: "follows:account", max: 200, windowSeconds: 3600 },
  /**
   * Call tokens (each also makes a room on the LiveKit server unless it exists). A call costs one
   * per device that joins it, and one more per rejoin; 60 an hour is a call a minute.
   */
  callsPerAccount: { name: "calls:account", max: 60, windowSeconds: 3600 },
  /**
   * Reports of messages, posts and profiles, together: each lands in front of an operator, and a
   * message report stores its text. Twenty an hour is more than anyone reporting what they saw.
   */
  reportsPerAccount: { name: "reports:account", max: 20, windowSeconds: 3600 },
} as const satisfies Record<string, RateLimitRule>;

function subjectHash(subject: string): string {
  return createHmac("sha256", rateLimitSecret()).update(subject, "utf8").digest("hex");
}

/** The key under which a subject's window is stored (the purge and its tests recompute it). */
export function rateLimitKey(rule: RateLimitRule, subject: string): string {
  return `${rule.name}:${subjectHash(subject)}`;
}

export interface AccountSubjects {
  userId: string;
  handle: string;
  /** The account's address and the one it was waiting for, where it had them. */
  emails: string[];
}

/**
 * Every limited subject that derives from one account, so that an account purge can remove its
 * rows. A new per-account limit must be listed here.
 */
function accountSubjects(account: AccountSubjects): Array<[RateLimitRule, string]> {
  const { userId } = account;
  const rules = rateLimitRules;
  return [
    [rules.mediaUploadsPerAccount, userId],
    [rules.messagesPerAccount, userId],
    // Prekey bundle fetches count under the message rule with their own subject.
    [rules.messagesPerAccount, `bundles:${userId}`],
    [rules.envelopesPerAccount, userId],
    [rules.attachmentsPerAccount, userId],
    [rules.deviceLinksPerAccount, userId],
    [rules.chatSuggestionsPerAccount, userId],
    [rules.chatBackupsPerAccount, userId],
    [rules.postsPerAccount, userId],
    [rules.followsPerAccount, userId],
    [rules.callsPerAccount, userId],
    [rules.reportsPerAccount, userId],
    [rules.codeFailuresPerAccount, userId],
    [rules.confirmFailuresPerAccount, userId],
    [rules.securitySetupsPerAccount, userId],
    [rules.accountMailsPerAccount, userId],
    [rules.passwordChecksPerAccount, userId],
    // Mails to an address count under it: the account's own and the one it was waiting for.
    ...account.emails.map((email): [RateLimitRule, string] => [rules.mailsPerAddress, email]),
    // Failed log-ins count against what was typed: the email, or the handle as "@handle".
    ...[...account.emails, `@${account.handle}`].map((typed): [RateLimitRule, string] => [rules.logInFailuresPerAccount, typed.toLowerCase()]),
  ];
}

/** Deletes every rate-limit window of the account (see accountSubjects); for the account purge. */
export async function forgetAccountRateLimits(account: AccountSubjects): Promise<void> {
  await clearRateLimits({ windows: accountSubjects(account).map(([rule, subject]) => ({ rule, subjectHash: subjectHash(subject) })) });
}

/**
 * Counts `cost` hits (one by default; a batch counts its items) and refuses once the rule is used up.
 * @throws AppError RATE_LIMITED with the seconds until the window ends
 */
export async function enforceRateLimit(rule: RateLimitRule, subject: string, now?: Date, cost = 1): Promise<void> {
  refuseIfLimited(await hitRateLimit({ rule, subjectHash: subjectHash(subject), now, cost }));
}

/**
 * enforceRateLimit for several rules in one round trip (each hit is counted); refuses with the
 * longest wait when any rule is used up.
 * @throws AppError RATE_LIMITED with the seconds until the last of the used-up windows ends
 */
export async function enforceRateLimits(hits: { rule: RateLimitRule; subject: string; cost?: number }[], now?: Date): Promise<void> {
  const outcomes = await hitRateLimits(
    hits.map((h) => ({ rule: h.rule, subjectHash: subjectHash(h.subject), cost: h.cost })),
    now,
  );
  const refused = outcomes.filter((o) => !o.allowed);
  if (refused.length) refuseIfLimited({ allowed: false, retryAfterSeconds: Math.max(...refused.map((o) => o.retryAfterSeconds)) });
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
