import { describe, expect, it } from "vitest";
import { db } from "../data/db";
import { createUser } from "../data/auth/users";
import { visitor } from "../data/actor";
import { uniqueEmail, uniqueHandle } from "../testing/unique";
import { generateSessionToken, isWellFormedSessionToken, sessionIdFromToken } from "./session-token";
import { SESSION_LIFETIME_MS, startSession, validateSessionToken } from "./sessions";

const DAY = 24 * 60 * 60 * 1000;

async function newAccount() {
  return createUser({
    actor: visitor,
    purpose: "core.account",
    handle: uniqueHandle(),
    email: uniqueEmail(),
    passwordHash: "not-a-real-hash",
    locale: null,
  });
}

describe("session tokens", () => {
  it("are 160 random bits in lower-case base32, different every time", () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(isWellFormedSessionToken(token)).toBe(true);
  });

  it("are stored only as their SHA-256", async () => {
    const account = await newAccount();
    const { token, session } = await startSession({ userId: account.id, userAgent: null });
    expect(session.id).toBe(sessionIdFromToken(token));
    expect(session.id).not.toContain(token);
    expect(await db().session.count({ where: { id: token } })).toBe(0);
  });
});

describe("validateSessionToken", () => {
  it("accepts a live session and labels its browser without keeping the User-Agent", async () => {
    const account = await newAccount();
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    const { token, session } = await startSession({ userId: account.id, userAgent: firefox });
    expect(session.deviceLabel).toBe("Firefox on Linux");
    const valid = await validateSessionToken(token);
    expect(valid?.account.handle).toBe(account.handle);
  });

  it("refuses unknown, malformed and tampered tokens", async () => {
    const account = await newAccount();
    const { token } = await startSession({ userId: account.id, userAgent: null });
    expect(await validateSessionToken(generateSessionToken())).toBeNull();
    expect(await validateSessionToken("")).toBeNull();
    expect(await validateSessionToken(`${token}a`)).toBeNull();
    expect(await validateSessionToken(token.toUpperCase())).toBeNull();
    expect(await validateSessionToken(sessionIdFromToken(token))).toBeNull();
  });

  it("slides the expiry forward once less than half of it remains", async () => {
    const account = await newAccount();
    const start = new Date("2026-01-01T00:00:00Z");
    const { token, session } = await startSession({ userId: account.id, userAgent: null, now: start });
    expect(session.expiresAt.getTime()).toBe(start.getTime() + SESSION_LIFETIME_MS);

    const day10 = new Date(start.getTime() + 10 * DAY);
    expect((await validateSessionToken(token, day10))?.session.expiresAt).toEqual(session.expiresAt);

    const day20 = new Date(start.getTime() + 20 * DAY);
    const renewed = await validateSessionToken(token, day20);
    expect(renewed?.session.expiresAt.getTime()).toBe(day20.getTime() + SESSION_LIFETIME_MS);
    const stored = await db().session.findUniqueOrThrow({ where: { id: session.id } });
    expect(stored.expiresAt.getTime()).toBe(day20.getTime() + SESSION_LIFETIME_MS);
    expect(stored.lastUsedAt).toEqual(day20);
  });

  it("refuses and deletes a session past its expiry", async () => {
    const account = await newAccount();
    const start = new Date("2026-01-01T00:00:00Z");
    const { token, session } = await startSession({ userId: account.id, userAgent: null, now: start });
    const afterExpiry = new Date(start.getTime() + SESSION_LIFETIME_MS + 1);
    expect(await validateSessionToken(token, afterExpiry)).toBeNull();
    expect(await db().session.count({ where: { id: session.id } })).toBe(0);
  });
});
