// One-time recovery codes for two-factor log-in: ten of 10 base32 characters each (50 bits, shown
// as xxxxx-xxxxx), shown once. Only their SHA-256 is stored: at 50 random bits a code cannot be
// guessed from its hash, so no slow hash is needed, and lookups stay exact.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

export const RECOVERY_CODE_COUNT = 10;

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(7))).slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/** What a typed code is compared as: lower case, without spaces and dashes. Null when it cannot be a code. */
export function normalizeRecoveryCode(typed: string): string | null {
  const compact = typed.toLowerCase().replace(/[\s-]/g, "");
  return /^[a-z2-7]{10}$/.test(compact) ? compact : null;
}

export function hashRecoveryCode(normalized: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(normalized)));
}
