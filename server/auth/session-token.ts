// Session tokens as Lucia teaches them: 20 random bytes (160 bits) in lower-case base32 go to the
// browser; the database keeps only their SHA-256, so a leaked table cannot be replayed as cookies.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Tokens are exactly 32 base32 characters; anything else is refused before any lookup. */
export function isWellFormedSessionToken(token: string): boolean {
  return /^[a-z2-7]{32}$/.test(token);
}
