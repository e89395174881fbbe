// A link code as people type it, made canonical: on its own, with nothing but the error type, so
// the set-up screen can check what is typed without loading the crypto core (libsodium, ML-KEM),
// which only the engine loads, after first paint.
import { CryptoError } from "../errors";

const CODE_CHARS = 16;
/** Crockford's base32 without I, L, O and U, as device-link.ts writes codes. */
const CANONICAL_CODE = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/**
 * The canonical 16 characters of a typed code: case, spaces and dashes are ignored, and the
 * look-alikes Crockford allows are read as digits (O → 0, I and L → 1). There is no check
 * character: a mistyped code names a slot that does not exist, or fails the request's MAC.
 * @throws {CryptoError} `InvalidLinkCode` for other characters (U included) or another length.
 */
export function normalizeLinkCode(input: string): string {
  const compact = input.replace(/[\s\p{Pd}]/gu, "");
  if (!/^[0-9A-Za-z]*$/.test(compact)) throw new CryptoError("InvalidLinkCode", "a link code has only letters and digits");
  const code = compact.toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
  if (code.length !== CODE_CHARS) throw new CryptoError("InvalidLinkCode", `a link code has ${CODE_CHARS} characters`);
  if (!CANONICAL_CODE.test(code)) throw new CryptoError("InvalidLinkCode", "a link code has no U");
  return code;
}
