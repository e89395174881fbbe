// The session cookie: httpOnly, SameSite=Lax, Secure (with the __Host- prefix) in production.
import { secureTransportEnabled } from "../env";

const DEV_NAME = "hearth_session";
const SECURE_NAME = "__Host-hearth_session";

export function sessionCookieName(): string {
  return secureTransportEnabled() ? SECURE_NAME : DEV_NAME;
}

export function serializeSessionCookie(token: string, expiresAt: Date, now = new Date()): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return serialize(token, maxAge);
}

export function serializeClearedSessionCookie(): string {
  return serialize("", 0);
}

function serialize(value: string, maxAge: number): string {
  const parts = [`${sessionCookieName()}=${value}`, "Path=/", `Max-Age=${maxAge}`, "HttpOnly", "SameSite=Lax"];
  if (secureTransportEnabled()) parts.push("Secure");
  return parts.join("; ");
}

export function readSessionToken(cookieHeader: string | null): string | null {
  return readCookie(cookieHeader, sessionCookieName());
}

export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const pair of cookieHeader.split(";")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return null;
}
