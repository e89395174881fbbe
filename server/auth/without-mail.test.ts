// A server with no SMTP configured (production without HEARTH_SMTP_URL): what needs mail says so,
// and everything else works. The run's mail catcher is unset for this file only.
import { describe, expect, it, vi } from "vitest";
import { signedUpPerson, testBrowser } from "../testing/test-browser";
import { uniqueEmail } from "../testing/unique";

// Empty counts as unset (server/env.ts).
vi.stubEnv("HEARTH_SMTP_URL", "");

describe("without mail", () => {
  it("signs up and logs in as ever, and says 'not set up' where a mail would be needed", async () => {
    const alice = await signedUpPerson();
    expect(await alice.call((api) => api.auth.account.get())).toEqual({ email: alice.email, emailVerified: false, pendingEmail: null, mailEnabled: false });
    const notSetUp = { code: "PRECONDITION_FAILED", cause: { code: "MAIL_NOT_CONFIGURED" } };
    await expect(testBrowser().call((api) => api.auth.passwordReset.request({ email: alice.email }))).rejects.toMatchObject(notSetUp);
    await expect(alice.call((api) => api.auth.account.resendVerification())).rejects.toMatchObject(notSetUp);
    await expect(alice.call((api) => api.auth.account.changeEmail({ newEmail: uniqueEmail(), currentPassword: "lantern orbit meadow" }))).rejects.toMatchObject(
      notSetUp,
    );
    await expect(testBrowser().call((api) => api.auth.logIn({ identifier: alice.email, password: "lantern orbit meadow" }))).resolves.toMatchObject({
      ok: true,
    });
  });
});
