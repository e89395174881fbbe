// Email verification, password reset, and changes of password and address, through the real
// router, with mail delivered over SMTP to the run's local mail catcher and read from there as a
// person would (server/testing/global-setup.ts, scripts/mail/).
import { createHash, randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { describe, expect, inject, it } from "vitest";
import { linkIn, mailsTo, waitForMail } from "../../scripts/mail/mailbox";
import { db } from "../data/db";
import type { AppError } from "../errors";
import { signedUpPerson, testBrowser, TEST_PASSWORD, type TestBrowser, type TestPerson } from "../testing/test-browser";
import { uniqueEmail, uniqueHandle } from "../testing/unique";
import { RESET_LINK_LIFETIME_MS } from "./account-token";
import { resetPassword } from "./password-reset";

const mailDir = inject("mailDir");
const NEW_PASSWORD = "harbour willow cinder";

async function appCodeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return ((error as TRPCError).cause as AppError).code;
}

const tokenOf = (url: URL) => new URLSearchParams(url.hash.slice(1)).get("token") ?? "";

async function verifiedPerson(): Promise<TestPerson> {
  const person = await signedUpPerson();
  const link = linkIn(await waitForMail(mailDir, person.email), "/verify-email");
  await testBrowser().call((api) => api.auth.verifyEmail({ token: tokenOf(link) }));
  return person;
}

async function resetLinkFor(email: string, count: number): Promise<string> {
  return tokenOf(linkIn(await waitForMail(mailDir, email, { count }), "/reset-password"));
}

describe("verification at sign-up", () => {
  it("mails a link over SMTP that verifies the address once; the account works before", async () => {
    const alice = await signedUpPerson();
    expect(await alice.call((api) => api.auth.account.get())).toEqual({ email: alice.email, emailVerified: false, pendingEmail: null, mailEnabled: true });
    const mail = await waitForMail(mailDir, alice.email);
    expect(mail.subject).toBe("Confirm your email address for Hearth");
    expect(mail.html).toContain("Confirm my address");
    // Links start with the configured public origin, hold the token in the fragment, and nothing points elsewhere.
    const link = linkIn(mail, "/verify-email");
    expect(link.origin).toBe("http://localhost:3000");
    expect(link.search).toBe("");
    expect([...mail.html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => new URL(m[1]!.replace(/&#38;/g, "&")).origin)).toEqual(["http://localhost:3000"]);

    await expect(testBrowser().call((api) => api.auth.verifyEmail({ token: tokenOf(link) }))).resolves.toEqual({ changed: false });
    expect(await alice.call((api) => api.auth.account.get())).toMatchObject({ emailVerified: true });
    expect(await appCodeOf(testBrowser().call((api) => api.auth.verifyEmail({ token: tokenOf(link) })))).toBe("LINK_INVALID");
    const log = await alice.call((api) => api.privacy.accessLog({ filter: "security" }));
    expect(log.entries.map((e) => e.action)).toEqual(["email_verified"]);
  });

  it("writes in the account's language", async () => {
    const email = uniqueEmail();
    await testBrowser().call((api) => api.auth.signUp({ handle: uniqueHandle(), email, password: TEST_PASSWORD, locale: "de" }));
    const mail = await waitForMail(mailDir, email);
    expect(mail.subject).toBe("Bestätige deine E-Mail-Adresse für Hearth");
    expect(mail.text).toContain("Der Link gilt einmal, 24 Stunden lang.");
  });

  it("keeps only the token's SHA-256, and refuses a wrong, malformed or other kind of token", async () => {
    const alice = await signedUpPerson();
    const token = tokenOf(linkIn(await waitForMail(mailDir, alice.email), "/verify-email"));
    const rows = await db().accountToken.findMany({ where: { userId: alice.id } });
    expect(rows).toMatchObject([{ id: createHash("sha256").update(token).digest("hex"), purpose: "verify_email", email: alice.email }]);
    expect(JSON.stringify(rows)).not.toContain(token);

    const wrong = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
    expect(await appCodeOf(testBrowser().call((api) => api.auth.verifyEmail({ token: wrong })))).toBe("LINK_INVALID");
    // A verification token is no reset token.
    expect(await appCodeOf(testBrowser().call((api) => api.auth.passwordReset.complete({ token, newPassword: NEW_PASSWORD })))).toBe("LINK_INVALID");
    await expect(testBrowser().call((api) => api.auth.verifyEmail({ token: "not a token" }))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The wrong guesses took nothing: the real link still works.
    await expect(testBrowser().call((api) => api.auth.verifyEmail({ token }))).resolves.toEqual({ changed: false });
  });
});

describe("sign-up with an address that has an account", () => {
  it("answers as any sign-up, tells the owner by mail, and gives the newcomer no claim on the address", async () => {
    const owner = await verifiedPerson();
    const mallory = testBrowser();
    const handle = uniqueHandle();
    const answer = await mallory.call((api) => api.auth.signUp({ handle, email: owner.email, password: "mallory's own passphrase" }));
    expect(answer).toEqual({ handle });
    expect(await mallory.call((api) => api.auth.account.get())).toEqual({ email: null, emailVerified: false, pendingEmail: owner.email, mailEnabled: true });

    const notice = await waitForMail(mailDir, owner.email, { count: 2 });
    expect(notice.subject).toBe("Someone tried to use your address on Hearth");
    expect(notice.text).not.toContain(handle);
    expect(notice.text).not.toMatch(/https?:\/\//);
    // Logging in by the address works for both, each with their own password, as it would had the address been free.
    await expect(testBrowser().call((api) => api.auth.logIn({ identifier: owner.email, password: "mallory's own passphrase" }))).resolves.toMatchObject({
      ok: true,
    });
    await expect(testBrowser().call((api) => api.auth.logIn({ identifier: owner.email, password: TEST_PASSWORD }))).resolves.toMatchObject({ ok: true });
    // "Send the link again" tells the owner again; it never sends Mallory a link.
    await mallory.call((api) => api.auth.account.resendVerification());
    expect((await waitForMail(mailDir, owner.email, { count: 3 })).subject).toBe("Someone tried to use your address on Hearth");
    expect(mailsTo(mailDir, owner.email).filter((m) => m.text.includes("/verify-email")).length).toBe(1);
    expect(await db().user.findUnique({ where: { handle }, select: { email: true } })).toEqual({ email: null });
  });
});

describe("password reset", () => {
  it("answers the same for a verified, an unverified and an unknown address, and mails only the verified one", async () => {
    const verified = await verifiedPerson();
    const unverified = await signedUpPerson();
    const unknown = uniqueEmail();
    const answers = await Promise.all(
      [verified.email, unverified.email, unknown].map((email) => testBrowser().call((api) => api.auth.passwordReset.request({ email }))),
    );
    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect((await waitForMail(mailDir, verified.email, { count: 2 })).subject).toBe("Reset your Hearth password");
    // Give a stray mail time to arrive before saying none came.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(mailDir, unverified.email).map((m) => m.subject)).toEqual(["Confirm your email address for Hearth"]);
    expect(mailsTo(mailDir, unknown)).toEqual([]);
  });

  it("sets the new password once, ends every session, logs this browser in and records it", async () => {
    const alice = await verifiedPerson();
    const laptop = testBrowser();
    await laptop.call((api) => api.auth.logIn({ identifier: alice.handle, password: TEST_PASSWORD }));
    await testBrowser().call((api) => api.auth.passwordReset.request({ email: alice.email }));
    const token = await resetLinkFor(alice.email, 2);

    const phone = testBrowser();
    await expect(phone.call((api) => api.auth.passwordReset.complete({ token, newPassword: NEW_PASSWORD }))).resolves.toEqual({ ok: true });
    expect(await phone.call((api) => api.auth.me())).toMatchObject({ handle: alice.handle });
    expect(await alice.call((api) => api.auth.me())).toBeNull();
    expect(await laptop.call((api) => api.auth.me())).toBeNull();
    expect(await appCodeOf(testBrowser().call((api) => api.auth.passwordReset.complete({ token, newPassword: "yet another passphrase" })))).toBe(
      "LINK_INVALID",
    );
    expect(await appCodeOf(testBrowser().call((api) => api.auth.logIn({ identifier: alice.email, password: TEST_PASSWORD })))).toBe("INVALID_CREDENTIALS");
    await expect(testBrowser().call((api) => api.auth.logIn({ identifier: alice.email, password: NEW_PASSWORD }))).resolves.toMatchObject({ ok: true });
    const log = await phone.call((api) => api.privacy.accessLog({ filter: "security" }));
    expect(log.entries.map((e) => e.action)).toEqual(["password_reset", "email_verified"]);
  });

  it("refuses a link after 30 minutes, and an older link once a newer one was sent", async () => {
    const alice = await verifiedPerson();
    await testBrowser().call((api) => api.auth.passwordReset.request({ email: alice.email }));
    const first = await resetLinkFor(alice.email, 2);
    await testBrowser().call((api) => api.auth.passwordReset.request({ email: alice.email }));
    const second = await resetLinkFor(alice.email, 3);
    expect(await appCodeOf(testBrowser().call((api) => api.auth.passwordReset.complete({ token: first, newPassword: NEW_PASSWORD })))).toBe("LINK_INVALID");
    const late = new Date(Date.now() + RESET_LINK_LIFETIME_MS + 1000);
    await expect(resetPassword({ token: second, newPassword: NEW_PASSWORD, clientIp: "198.51.100.7", userAgent: null, now: late })).rejects.toMatchObject({
      code: "LINK_INVALID",
    });
    expect(await alice.call((api) => api.auth.me())).toMatchObject({ handle: alice.handle });
  });
});

describe("change of password", () => {
  it("needs the current password, and ends the other sessions only when asked", async () => {
    const alice = await signedUpPerson();
    const laptop = testBrowser();
    await laptop.call((api) => api.auth.logIn({ identifier: alice.handle, password: TEST_PASSWORD }));
    const wrong = alice.call((api) => api.auth.account.changePassword({ currentPassword: "not it", newPassword: NEW_PASSWORD, endOtherSessions: true }));
    await expect(wrong).rejects.toMatchObject({ code: "UNAUTHORIZED", cause: { code: "INVALID_CREDENTIALS", details: { field: "currentPassword" } } });
    expect(await alice.call((api) => api.auth.me())).toMatchObject({ handle: alice.handle });

    await expect(
      alice.call((api) => api.auth.account.changePassword({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, endOtherSessions: false })),
    ).resolves.toEqual({ endedSessions: 0 });
    expect(await laptop.call((api) => api.auth.me())).toMatchObject({ handle: alice.handle });
    await expect(
      alice.call((api) => api.auth.account.changePassword({ currentPassword: NEW_PASSWORD, newPassword: TEST_PASSWORD, endOtherSessions: true })),
    ).resolves.toEqual({ endedSessions: 1 });
    expect(await laptop.call((api) => api.auth.me())).toBeNull();
    expect(await alice.call((api) => api.auth.me())).toMatchObject({ handle: alice.handle });
    const log = await alice.call((api) => api.privacy.accessLog({ filter: "security" }));
    expect(log.entries.map((e) => e.action)).toEqual(["password_changed", "password_changed"]);
  });
});

describe("change of address", () => {
  async function changeTo(person: { call: TestBrowser["call"] }, newEmail: string) {
    await person.call((api) => api.auth.account.changeEmail({ newEmail, currentPassword: TEST_PASSWORD }));
  }

  it("takes effect only when the link mailed to the new address is followed; the old one gets a notice naming no new address", async () => {
    const alice = await verifiedPerson();
    const newEmail = `${randomBytes(6).toString("hex")}@example.net`;
    await changeTo(alice, newEmail.toUpperCase());
    expect(await alice.call((api) => api.auth.account.get())).toMatchObject({ email: alice.email, emailVerified: true, pendingEmail: newEmail });

    const notice = await waitForMail(mailDir, alice.email, { count: 2 });
    expect(notice.subject).toBe("A new email address was requested for your Hearth account");
    expect(notice.text + notice.html).not.toContain(newEmail.split("@")[0]!);
    const link = linkIn(await waitForMail(mailDir, newEmail), "/verify-email");
    await expect(testBrowser().call((api) => api.auth.verifyEmail({ token: tokenOf(link) }))).resolves.toEqual({ changed: true });
    expect(await alice.call((api) => api.auth.account.get())).toMatchObject({ email: newEmail, emailVerified: true, pendingEmail: null });
    await expect(testBrowser().call((api) => api.auth.logIn({ identifier: newEmail, password: TEST_PASSWORD }))).resolves.toMatchObject({ ok: true });
    // The old address is nobody's now: a reset asked for it mails nothing.
    await testBrowser().call((api) => api.auth.passwordReset.request({ email: alice.email }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(mailDir, alice.email).length).toBe(2);
    const log = await alice.call((api) => api.privacy.accessLog({ filter: "security" }));
    expect(log.entries.map((e) => e.action)).toEqual(["email_changed", "email_verified"]);
  });

  it("needs the current password, and a withdrawn change leaves its link dead", async () => {
    const alice = await signedUpPerson();
    expect(await appCodeOf(alice.call((api) => api.auth.account.changeEmail({ newEmail: uniqueEmail(), currentPassword: "not it" })))).toBe(
      "INVALID_CREDENTIALS",
    );
    const newEmail = uniqueEmail();
    await changeTo(alice, newEmail);
    await alice.call((api) => api.auth.account.cancelEmailChange());
    const link = linkIn(await waitForMail(mailDir, newEmail), "/verify-email");
    expect(await appCodeOf(testBrowser().call((api) => api.auth.verifyEmail({ token: tokenOf(link) })))).toBe("LINK_INVALID");
    expect(await alice.call((api) => api.auth.account.get())).toMatchObject({ email: alice.email, pendingEmail: null });
  });
});
