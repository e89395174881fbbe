// What people type and read: link codes (16 Crockford base32 characters, shown in four groups of
// four; the format and its normalization are the crypto core's, devices/device-link.ts) and the
// 60-digit numbers (safety numbers, recovery keys, shown in twelve groups of five).
// The leaf modules, not the crypto core's index: this runs in the set-up screen, before the engine loads the core.
import { normalizeLinkCode } from "../crypto/devices/link-code";
import { isCryptoError } from "../crypto/errors";

/** The canonical 16 characters of a typed link code (see normalizeLinkCode), or null when it is not one. */
export function linkCodeOrNull(input: string): string | null {
  try {
    return normalizeLinkCode(input);
  } catch (error) {
    if (isCryptoError(error, "InvalidLinkCode")) return null;
    throw error;
  }
}

/** A 60-digit secret as typed, with spaces (and dashes) dropped; null unless exactly 60 digits remain. */
export function normalizeSixtyDigits(input: string): string | null {
  const digits = input.replace(/[\s\p{Pd}]/gu, "");
  return /^\d{60}$/.test(digits) ? digits : null;
}

/** How many digits a typed 60-digit secret has, for the error message. */
export function countDigits(input: string): number {
  return input.replace(/\D/g, "").length;
}

/** "ABCDEFGH…" → ["ABCD", "EFGH", …]; the characters other than letters and digits are dropped first. */
export function groupsOf(text: string, size: number): string[] {
  const compact = text.replace(/[^0-9A-Za-z]/g, "");
  const groups: string[] = [];
  for (let i = 0; i < compact.length; i += size) groups.push(compact.slice(i, i + size));
  return groups;
}
