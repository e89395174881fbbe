// Passkeys and two-factor authentication as a person meets them: a passkey added in the security
// settings logs in alone (Chromium's virtual authenticator, through the DevTools protocol); with
// two-factor on, the password is followed by a code from the app, or by a recovery code, once.
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, logIn, logOut, newAccount, signUp, test } from "../fixtures/test";

/** A platform authenticator with a fingerprint reader that always says yes. */
async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

/** The code an authenticator app shows at `at` for the key shown in the settings. */
function totpCode(secret: string, at: Date): string {
  return generateHOTP(decodeBase32IgnorePadding(secret.replace(/\s/g, "")), BigInt(Math.floor(at.getTime() / 30_000)), 6);
}

test("a person adds a passkey in the security settings, logs out, and logs in with it alone", async ({ page }) => {
  await addVirtualAuthenticator(page);
  const account = newAccount();
  await signUp(page, account);
  await page.goto("/settings");
  await page.getByRole("link", { name: "Manage passkeys and two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Security", level: 1 })).toBeVisible();
  await expect(page.getByText("You have no passkeys yet.")).toBeVisible();

  await page.getByLabel("Name").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Passkey “Test laptop” added." })).toBeVisible();
  const passkeys = page.getByRole("list", { name: "Passkeys" });
  await expect(passkeys.getByRole("listitem")).toHaveCount(1);
  await expect(passkeys.getByRole("listitem")).toContainText("Not used yet");
  await expectAccessible(page);

  await logOut(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${account.handle}` })).toBeVisible();

  await page.goto("/settings/security");
  await expect(passkeys.getByRole("listitem")).toContainText("Last used");
});

test("a person turns on two-factor authentication, then logs in with a code from the app and with a recovery code", async ({ page, extraHTTPHeaders }) => {
  // Four password checks (Argon2id) and a sign-up: past the default 30 s on 2 busy cores.
  test.setTimeout(90_000);
  const account = newAccount();
  await signUp(page, account);
  await page.goto("/settings/security");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: "QR code to add Hearth to your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
  expect(secret.replace(/\s/g, "")).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page);

  await page.getByLabel("2. Enter the 6-digit code your app shows").fill(totpCode(secret, new Date()));
  await page.getByRole("button", { name: "Turn on", exact: true }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().textContent()) ?? "";
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByText("10 recovery codes left.")).toBeVisible();

  // A minute on, so the app shows a code of a later step than the one that turned two-factor on.
  const later = new Date(Date.now() + 60_000);
  await page.context().setExtraHTTPHeaders({ ...extraHTTPHeaders, "x-hearth-test-now": later.toISOString() });
  await logOut(page);
  await logIn(page, account);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("form").getByRole("alert")).toHaveText("Please correct the highlighted fields.");
  await expect(page.getByLabel("Code")).toHaveAccessibleDescription(/That code is wrong, expired or was used already\./);
  await page.getByLabel("Code").fill(totpCode(secret, later));
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${account.handle}` })).toBeVisible();

  await logOut(page);
  await logIn(page, account);
  await page.getByLabel("Code").fill(recoveryCode);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${account.handle}` })).toBeVisible();
  await page.goto("/settings/security");
  await expect(page.getByText("9 recovery codes left.")).toBeVisible();
});
