// Unique names per test, so tests share one database without seeing each other's rows.
import { randomBytes } from "node:crypto";

export function uniqueHandle(prefix = "u"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

export function uniqueEmail(): string {
  return `${randomBytes(6).toString("hex")}@example.org`;
}

/** An address from the IPv6 documentation prefix: a rate-limit key, never contacted. */
export function uniqueIp(): string {
  return `2001:db8::${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;
}
