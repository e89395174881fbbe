// The auth router through tRPC's server-side caller, against the real test database.
import { TRPCError } from "@trpc/server";
import { describe, expect, it, vi } from "vitest";
import type { ZodError } from "zod";
import * as passwordModule from "../../auth/password";
import { rateLimitRules } from "../../auth/rate-limits";
import { sessionCookieName } from "../../auth/session-cookie";
import { db } from "../../data/db";
import { type AppError } from "../../errors";
import { createCaller } from "../../root";
import { createTRPCContext } from "../../trpc";
import { TEST_PASSWORD, signedUpPerson, testBrowser } from "../../testing/test-browser";
import { uniqueEmail, uniqueHandle, uniqueIp } from "../../testing/unique";

const password = TEST_PASSWORD;
const browser = testBrowser;

async function signedUp(ip?: string) {
  const person = await signedUpPerson(ip);
  return { browser: person.browser, handle: person.handle, email: person.email };
}

async function expectError(promise: Promise<unknown>, code: TRPCError["code"], appCode?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (appCode) expect(((error as TRPCError).cause as AppError).code).toBe(appCode);
  return error as TRPCError;
}

describe("sign-up", () => {
  it("creates the account, signs the browser in and stores no plain password", async () => {
    const { browser: b, handle, email } = await signedUp();
    expect(b.cookie).toMatch(new RegExp(`^${sessionCookieName()}=[a-z2-7]{32}$`));
    expect(await b.call((api) => api.auth.me())).toMatchObject({ handle });
    const stored = await db().user.findUniqueOrThrow({ where: { email } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain(password);
  });

  it("sets an httpOnly, SameSite=Lax session cookie", async () => {
    const { api, resHeaders } = await browser().caller();
    await api.auth.signUp({ handle: uniqueHandle(), email: uniqueEmail(), password });
    const setCookie = resHeaders.getSetCookie().find((c) => c.startsWith(sessionCookieName()));
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    const maxAge = Number(/; Max-Age=(\d+)/.exec(setCookie ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(30 * 24 * 3600 - 10);
    expect(maxAge).toBeLessThanOrEqual(30 * 24 * 3600);
  });

  it("refuses a handle that differs from a taken one only in case", async () => {
    const { handle } = await signedUp();
    const error = await expectError(
      browser().call((api) => api.auth.signUp({ handle: handle.toUpperCase(), email: uniqueEmail(), password })),
      "CONFLICT",
      "HANDLE_TAKEN",
    );
    expect((error.cause as AppError).details.field).toBe("handle");
  });

  it("does not tell a second sign-up with a taken email (in any case) that it is taken, nor give it the address", async () => {
    const { email } = await signedUp();
    const handle = uniqueHandle();
    await expect(browser().call((api) => api.auth.signUp({ handle, email: email.toUpperCase(), password }))).resolves.toEqual({ handle });
    expect(await db().user.findUnique({ where: { handle }, select: { email: true, pendingEmail: true } })).toEqual({ email: null, pendingEmail: email });
  });

  it("refuses bad input field by field with BAD_REQUEST, never a server error", async () => {
    const error = await expectError(
      browser().call((api) => api.auth.signUp({ handle: "root", email: "nope", password: "password123" })),
      "BAD_REQUEST",
    );
    const issues = (error.cause as ZodError).issues;
    expect(Object.fromEntries(issues.map((i) => [String(i.path[0]), i.message]))).toEqual({
      handle: "handle_reserved",
      email: "email_invalid",
      password: "password_common",
    });
  });

  it("is limited per IP address, with the time to wait", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < rateLimitRules.signUpPerIp.max; i++) {
      await browser(ip).call((api) => api.auth.signUp({ handle: uniqueHandle(), email: uniqueEmail(), password }));
    }
    const error = await expectError(
      browser(ip).call((api) => api.auth.signUp({ handle: uniqueHandle(), email: uniqueEmail(), password })),
      "TOO_MANY_REQUESTS",
      "RATE_LIMITED",
    );
    const retryAfter = (error.cause as AppError).details.retryAfterSeconds ?? 0;
    // A window is stored as starting on the next whole hour, so it lasts one to two hours.
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(7200);
    await browser().call((api) => api.auth.signUp({ handle: uniqueHandle(), email: uniqueEmail(), password }));
  });
});

describe("log-in", () => {
  it("signs in with the right password, whatever the email's case", async () => {
    const { handle, email } = await signedUp();
    const b = browser();
    await b.call((api) => api.auth.logIn({ identifier: ` ${email.toUpperCase()} `, password }));
    expect(await b.call((api) => api.auth.me())).toMatchObject({ handle });
  });

  it("gives the same error for a wrong password and an unknown email", async () => {
    const { email } = await signedUp();
    const wrong = await expectError(
      browser().call((api) => api.auth.logIn({ identifier: email, password: "not the password" })),
      "UNAUTHORIZED",
      "INVALID_CREDENTIALS",
    );
    const unknown = await expectError(
      browser().call((api) => api.auth.logIn({ identifier: uniqueEmail(), password })),
      "UNAUTHORIZED",
      "INVALID_CREDENTIALS",
    );
    expect(unknown.message).toBe(wrong.message);
  });

  it("locks an account after 5 wrong passwords, even against the right one, from any address", async () => {
    const { email } = await signedUp();
    for (let i = 0; i < rateLimitRules.logInFailuresPerAccount.max; i++) {
      await expectError(
        browser().call((api) => api.auth.logIn({ identifier: email, password: `wrong guess ${i}` })),
        "UNAUTHORIZED",
      );
    }
    const error = await expectError(
      browser().call((api) => api.auth.logIn({ identifier: email, password })),
      "TOO_MANY_REQUESTS",
      "RATE_LIMITED",
    );
    expect((error.cause as AppError).details.retryAfterSeconds).toBeGreaterThan(800);
  });

  it("locks unknown emails the same way, so the limit tells nothing", async () => {
    const email = uniqueEmail();
    for (let i = 0; i < rateLimitRules.logInFailuresPerAccount.max; i++) {
      await expectError(
        browser().call((api) => api.auth.logIn({ identifier: email, password })),
        "UNAUTHORIZED",
      );
    }
    await expectError(
      browser().call((api) => api.auth.logIn({ identifier: email, password })),
      "TOO_MANY_REQUESTS",
    );
  });

  it("forgives earlier failures after a good password", async () => {
    const { email } = await signedUp();
    for (let i = 0; i < rateLimitRules.logInFailuresPerAccount.max - 1; i++) {
      await expectError(
        browser().call((api) => api.auth.logIn({ identifier: email, password: "not the password" })),
        "UNAUTHORIZED",
      );
    }
    await browser().call((api) => api.auth.logIn({ identifier: email, password }));
    await expectError(
      browser().call((api) => api.auth.logIn({ identifier: email, password: "not the password" })),
      "UNAUTHORIZED",
    );
    await browser().call((api) => api.auth.logIn({ identifier: email, password }));
  });

  it("signs in by handle, with or without its @, in any case", async () => {
    const { handle } = await signedUp();
    for (const typed of [handle, `@${handle}`, ` @${handle.toUpperCase()} `]) {
      const b = browser();
      await b.call((api) => api.auth.logIn({ identifier: typed, password }));
      expect(await b.call((api) => api.auth.me())).toMatchObject({ handle });
    }
  });

  it("gives an unknown handle the same error as a wrong password, after the same password work", async () => {
    const { handle } = await signedUp();
    const verified = vi.spyOn(passwordModule, "verifyPassword");
    const dummy = vi.spyOn(passwordModule, "verifyAgainstDummyHash");
    try {
      const wrong = await expectError(
        browser().call((api) => api.auth.logIn({ identifier: `@${handle}`, password: "not the password" })),
        "UNAUTHORIZED",
        "INVALID_CREDENTIALS",
      );
      const unknown = await expectError(
        browser().call((api) => api.auth.logIn({ identifier: `@${uniqueHandle()}`, password })),
        "UNAUTHORIZED",
        "INVALID_CREDENTIALS",
      );
      const unknownBare = await expectError(
        browser().call((api) => api.auth.logIn({ identifier: uniqueHandle(), password })),
        "UNAUTHORIZED",
        "INVALID_CREDENTIALS",
      );
      expect(unknown.message).toBe(wrong.message);
      expect(unknownBare.message).toBe(wrong.message);
      // One Argon2 verification each: against the account's hash, or against the dummy hash.
      expect(verified).toHaveBeenCalledTimes(1);
      expect(dummy).toHaveBeenCalledTimes(2);
    } finally {
      verified.mockRestore();
      dummy.mockRestore();
    }
  });

  it("locks a handle however it is typed, and never tells by its lock which email belongs to it", async () => {
    const { email, handle } = await signedUp();
    const forms = [handle, `@${handle}`, `@${handle.toUpperCase()}`];
    for (let i = 0; i < rateLimitRules.logInFailuresPerAccount.max; i++) {
      await expectError(
        browser().call((api) => api.auth.logIn({ identifier: forms[i % forms.length]!, password: `wrong guess ${i}` })),
        "UNAUTHORIZED",
      );
    }
    for (const typed of [handle, `@${handle}`]) {
      await expectError(
        browser().call((api) => api.auth.logIn({ identifier: typed, password })),
        "TOO_MANY_REQUESTS",
        "RATE_LIMITED",
      );
    }
    // Her email is limited on its own, exactly as an unknown email would be: a locked "@handle"
    // followed by a guessed email that comes back locked would otherwise confirm the guess.
    await browser().call((api) => api.auth.logIn({ identifier: email.toUpperCase(), password }));
  });

  it("locks unknown handles the same way, with or without the @", async () => {
    const handle = uniqueHandle();
    for (let i = 0; i < rateLimitRules.logInFailuresPerAccount.max; i++) {
      await expectError(
        browser().call((api) => api.auth.logIn({ identifier: i % 2 ? handle : `@${handle}`, password })),
        "UNAUTHORIZED",
        "INVALID_CREDENTIALS",
      );
    }
    await expectError(
      browser().call((api) => api.auth.logIn({ identifier: handle, password })),
      "TOO_MANY_REQUESTS",
      "RATE_LIMITED",
    );
    await expectError(
      browser().call((api) => api.auth.logIn({ identifier: `@${handle}`, password })),
      "TOO_MANY_REQUESTS",
      "RATE_LIMITED",
    );
  });

  it("is limited per IP address across accounts", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < rateLimitRules.logInPerIp.max; i++) {
      await expectError(
        browser(ip).call((api) => api.auth.logIn({ identifier: uniqueEmail(), password })),
        "UNAUTHORIZED",
      );
    }
    await expectError(
      browser(ip).call((api) => api.auth.logIn({ identifier: uniqueEmail(), password })),
      "TOO_MANY_REQUESTS",
    );
  });
});

describe("sessions", () => {
  it("lists the person's own sessions, marking the current one", async () => {
    const { browser: first, email, handle } = await signedUp();
    const second = browser();
    await second.call((api) => api.auth.logIn({ identifier: email, password }));
    const list = await first.call((api) => api.auth.sessions.list());
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list[0]?.deviceLabel).toBe("Chrome on Linux");
    expect(await second.call((api) => api.auth.me())).toMatchObject({ handle });
  });

  it("revokes another session, which is then signed out", async () => {
    const { browser: first, email } = await signedUp();
    const second = browser();
    await second.call((api) => api.auth.logIn({ identifier: email, password }));
    const other = (await first.call((api) => api.auth.sessions.list())).find((s) => !s.current)!;
    await first.call((api) => api.auth.sessions.revoke({ id: other.id }));
    expect(await second.call((api) => api.auth.me())).toBeNull();
    await expectError(
      second.call((api) => api.auth.sessions.list()),
      "UNAUTHORIZED",
      "UNAUTHENTICATED",
    );
  });

  it("cannot revoke someone else's session", async () => {
    const alice = await signedUp();
    const mallory = await signedUp();
    const aliceSession = (await alice.browser.call((api) => api.auth.sessions.list()))[0]!;
    await expectError(
      mallory.browser.call((api) => api.auth.sessions.revoke({ id: aliceSession.id })),
      "NOT_FOUND",
    );
    expect(await alice.browser.call((api) => api.auth.me())).not.toBeNull();
  });

  it("logs out of all other sessions but keeps this one", async () => {
    const { browser: first, email } = await signedUp();
    const others = [browser(), browser()];
    for (const b of others) await b.call((api) => api.auth.logIn({ identifier: email, password }));
    expect(await first.call((api) => api.auth.sessions.revokeOthers())).toEqual({ revoked: 2 });
    for (const b of others) expect(await b.call((api) => api.auth.me())).toBeNull();
    expect(await first.call((api) => api.auth.sessions.list())).toHaveLength(1);
  });

  it("log-out ends the session on the server, not just the cookie", async () => {
    const { browser: b } = await signedUp();
    const token = b.cookie.split("=")[1]!;
    await b.call((api) => api.auth.logOut());
    expect(b.cookie).toBe("");
    const headers = new Headers({ cookie: `${sessionCookieName()}=${token}` });
    const api = createCaller(await createTRPCContext({ headers, resHeaders: new Headers() }));
    expect(await api.auth.me()).toBeNull();
  });
});

describe("language preference", () => {
  it("is kept on the account and restored at the next log-in", async () => {
    const { browser: b, email } = await signedUp();
    await b.call((api) => api.auth.setLocale({ locale: "de" }));
    const { api, resHeaders } = await browser().caller();
    await api.auth.logIn({ identifier: email, password });
    expect(resHeaders.getSetCookie().some((c) => c.startsWith("NEXT_LOCALE=de;"))).toBe(true);
  });

  it("accepts only the languages Hearth has", async () => {
    await expectError(
      // @ts-expect-error: "fr" is not a Hearth language, which is the point.
      browser().call((api) => api.auth.setLocale({ locale: "fr" })),
      "BAD_REQUEST",
    );
  });
});
