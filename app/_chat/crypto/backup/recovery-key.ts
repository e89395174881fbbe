/**
 * The recovery key: 60 digits shown as twelve groups of five, the same shape as a safety
 * number. 59 digits are uniformly random (≈196 bits); the 60th is a Damm check digit, which
 * catches every single mistyped digit and every swap of two neighbours before any decryption
 * is tried. Digits because they read aloud, type on any keyboard (a phone's number pad) and
 * have no look-alikes; spaces, dashes and other separators are ignored when typed back.
 */
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";

const RANDOM_DIGITS = 59;
export const RECOVERY_KEY_DIGITS = RANDOM_DIGITS + 1;

/** Damm's totally anti-symmetric quasigroup of order 10. */
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

/** The Damm check digit of a string of digits (0 for a string that ends in its check digit). */
export function dammCheckDigit(digits: string): number {
  let interim = 0;
  for (const char of digits) interim = DAMM[interim]![char.charCodeAt(0) - 48]!;
  return interim;
}

export class RecoveryKey {
  private constructor(
    /** The 60 digits, without separators. */
    readonly digits: string,
  ) {}

  /** Draws 59 uniform digits (rejection sampling of random bytes) and appends the check digit. */
  static generate(random: RandomSource): RecoveryKey {
    let digits = "";
    while (digits.length < RANDOM_DIGITS) {
      for (const byte of random(2 * (RANDOM_DIGITS - digits.length))) {
        if (byte < 250 && digits.length < RANDOM_DIGITS) digits += String(byte % 10);
      }
    }
    return new RecoveryKey(digits + String(dammCheckDigit(digits)));
  }

  /**
   * Reads a typed recovery key, ignoring spaces and separators.
   * @throws {CryptoError} `InvalidRecoveryKey` for letters, a wrong number of digits or a wrong
   *   check digit.
   */
  static parse(text: string): RecoveryKey {
    const digits = text.replace(/[\s\-_.·]/g, "");
    if (!/^\d+$/.test(digits)) throw new CryptoError("InvalidRecoveryKey", "a recovery key has only digits");
    if (digits.length !== RECOVERY_KEY_DIGITS) throw new CryptoError("InvalidRecoveryKey", `a recovery key has ${RECOVERY_KEY_DIGITS} digits`);
    if (dammCheckDigit(digits) !== 0) throw new CryptoError("InvalidRecoveryKey", "check digit does not match");
    return new RecoveryKey(digits);
  }

  /** "12345 67890 …": twelve groups of five. */
  toString(): string {
    return this.digits.replace(/(\d{5})(?=\d)/g, "$1 ");
  }
}
