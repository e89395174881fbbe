// Getting back into an account by mail, read from the local SMTP server the test server runs
// (scripts/mail/mail-catcher.ts, in <data dir>/mail): verify the address, forget the password,
// reset it through the mailed link; and move the account to a new address.
import path from "node:path";
import type { Page } from "@playwright/test";
import { linkIn, waitForMail } from "../../scripts/mail/mailbox";
import { e2eDataDir, sessionTokenMustStayPrivate } from "../fixtures/secrets-ledger";
import { expect, expectAccessible, logIn, newAccount, signUp, test } from "../fixtures/test";

const mailDir = path.join(e2eDataDir, "mail");

/** Opens the link of the `count`-th mail to an address; its token is written down for the no-plaintext teardown. */
async function followMailedLink(page: Page, address: string, pathPrefix: string, count = 1): Promise<void> {
  const link = linkIn(await waitForMail(mailDir, address, { count }), pathPrefix);
  // Like a session token, a mailed token may reach the database only as its SHA-256, and no log ever.
  sessionTokenMustStayPrivate(new URLSearchParams(link.hash.slice(1)).get("token") ?? "");
  await page.goto(link.href);
}

test("a new person verifies their address, forgets the password and gets back in by mail; the old session ends", async ({ page, browser }) => {
  const account = newAccount();
  await signUp(page, account);
  await followMailedLink(page, account.email, "/verify-email");
  await expect(page.getByRole("status").filter({ hasText: "Your email address is confirmed." })).toBeVisible();
  await page.getByRole("link", { name: "Go to your account settings" }).click();
  await expect(page.getByRole("definition").filter({ hasText: account.email })).toHaveText(`${account.email} verified`);
  await expectAccessible(page);

  // Another browser, where the password is forgotten.
  const phoneContext = await browser.newContext();
  const phone = await phoneContext.newPage();
  await phone.goto("/login");
  await phone.getByRole("link", { name: "Forgot password?" }).click();
  await expect(phone.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await phone.getByLabel("Email", { exact: true }).fill(account.email);
  await phone.getByRole("button", { name: "Send link" }).click();
  await expect(phone.getByRole("status").filter({ hasText: "a link is on its way" })).toBeVisible();
  await followMailedLink(phone, account.email, "/reset-password", 2);
  const newPassword = "quarry lantern tidal";
  await phone.getByLabel("New password", { exact: true }).fill(newPassword);
  await phone.getByRole("button", { name: "Set new password" }).click();
  await expect(phone.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  await phoneContext.close();

  // The reset ended the first browser's session; the new password works there.
  await page.reload();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, { email: account.email, password: newPassword });
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
});

test("a person moves their account to a new address, confirmed from its mailbox", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await followMailedLink(page, account.email, "/verify-email");
  await expect(page.getByRole("status").filter({ hasText: "Your email address is confirmed." })).toBeVisible();

  await page.goto("/settings/account");
  const newEmail = `moved_${account.email}`;
  await page.getByRole("button", { name: "Change address" }).click();
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByLabel("Current password").first().fill(account.password);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "follow the link" })).toBeVisible();
  // Until the link is followed the old address stays the account's; it was told of the request.
  await expect(page.getByRole("definition").filter({ hasText: newEmail })).toHaveText(`${newEmail} not verified`);
  expect((await waitForMail(mailDir, account.email, { count: 2 })).subject).toBe("A new email address was requested for your Hearth account");

  await followMailedLink(page, newEmail, "/verify-email");
  await expect(page.getByRole("status").filter({ hasText: "Your new email address is confirmed and is now the address of your account." })).toBeVisible();
  await page.goto("/settings/account");
  await expect(page.getByRole("definition").filter({ hasText: newEmail })).toHaveText(`${newEmail} verified`);
  await expect(page.getByText(account.email, { exact: true })).toHaveCount(0);
});
