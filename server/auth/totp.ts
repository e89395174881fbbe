// TOTP as RFC 6238 defines it and authenticator apps expect it: HMAC-SHA-1, 30-second steps, 6
// digits, a 20-byte key. A code is accepted for the current step and one step either side (clocks
// drift), and only for a step later than the last one accepted, so a code seen over someone's
// shoulder cannot be used again within its window. Time is a parameter, so tests move it.
import { generateHOTP } from "@oslojs/otp";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const KEY_BYTES = 20;
/** Steps accepted either side of the current one. */
const DRIFT_STEPS = 1n;

export function generateTotpKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(KEY_BYTES));
}

/** The key as people type it into an app: base32, upper case, in groups of four. */
export function formatTotpKey(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, "$1 ");
}

/** The otpauth:// URI a QR code carries (the Key URI format every authenticator app reads). */
export function totpKeyUri(options: { issuer: string; accountName: string; key: Uint8Array }): string {
  const issuer = encodeURIComponent(options.issuer);
  const params = new URLSearchParams({
    secret: encodeBase32UpperCaseNoPadding(options.key),
    issuer: options.issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${issuer}:${encodeURIComponent(options.accountName)}?${params.toString()}`;
}

export function totpStepAt(now: Date): bigint {
  return BigInt(Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS));
}

/** The code of the step `now` falls in (tests and the e2e journey compute codes with it). */
export function totpCodeAt(key: Uint8Array, now: Date): string {
  return generateHOTP(key, totpStepAt(now), TOTP_DIGITS);
}

/**
 * The step whose code `code` is, among the current step ±1 and after `lastUsedStep`; null when it
 * is none of them (wrong, too old, too far ahead, or already used).
 */
export function matchTotpStep(options: { key: Uint8Array; code: string; now: Date; lastUsedStep: bigint | null }): bigint | null {
  if (!/^\d{6}$/.test(options.code)) return null;
  const typed = new TextEncoder().encode(options.code);
  const current = totpStepAt(options.now);
  let matched: bigint | null = null;
  // Every candidate is computed and compared, so the time taken does not say which one matched.
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    const expected = new TextEncoder().encode(generateHOTP(options.key, step, TOTP_DIGITS));
    const fresh = options.lastUsedStep === null || step > options.lastUsedStep;
    if (constantTimeEqual(typed, expected) && fresh && matched === null) matched = step;
  }
  return matched;
}
