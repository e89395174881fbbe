// Tokens of mailed links (verification, password reset): the same shape as session tokens, 160
// random bits as 32 base32 characters, stored only as their SHA-256. A plain hash is right for a
// token this random: nobody can guess one to look up, so a slow hash would buy nothing.
import { generateSessionToken, isWellFormedSessionToken, sessionIdFromToken } from "./session-token";

export const generateAccountToken = generateSessionToken;
/** The SHA-256 of a token, hex: the only form the database holds. */
export const hashAccountToken = sessionIdFromToken;
export const isWellFormedAccountToken = isWellFormedSessionToken;

export const VERIFY_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const RESET_LINK_LIFETIME_MS = 30 * 60 * 1000;
