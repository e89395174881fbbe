import { expect, expectAccessible, formAlert, logIn, newAccount, signUp, test } from "../fixtures/test";

test("a deleted account comes back at the next log-in, and one deleted now is gone", async ({ page }) => {
  // Six password checks, each deliberately slow (Argon2id).
  test.slow();
  const account = newAccount();
  await signUp(page, account);
  await page.goto("/settings/privacy#delete");
  const form = page.getByRole("form", { name: "Delete my account" });
  const password = form.getByLabel("Your password");
  const restorable = form.getByRole("button", { name: "Delete (restorable for 30 days)" });

  await restorable.click();
  await expect(password).toBeFocused();
  await expect(password).toHaveAccessibleDescription(/^Enter your password\./);

  await password.fill("not my password at all");
  await restorable.click();
  const confirm = page.getByRole("dialog", { name: "Delete your account?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "Delete my account" }).click();
  await expect(confirm).toBeHidden();
  await expect(password).toHaveAccessibleDescription(/^That is not your password\./);
  await expect(password).toBeFocused();
  await expectAccessible(page);

  await password.fill(account.password);
  await restorable.click();
  await confirm.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/login\?deleted=1$/);
  await page.goto("/settings/privacy");
  await expect(page).toHaveURL(/\/login$/);

  // Logging in within 30 days restores the account; the home page is told so.
  const restoredHome = page.waitForURL(/\/\?restored=1$/);
  await logIn(page, account);
  await restoredHome;
  await page.goto("/settings/privacy#delete");
  await expect(page.getByRole("heading", { level: 1, name: "Privacy and your data" })).toBeVisible();

  await password.fill(account.password);
  await form.getByRole("button", { name: "Delete now, permanently" }).click();
  const erase = page.getByRole("dialog", { name: "Erase your account now?" });
  await erase.getByRole("button", { name: "Erase everything now" }).click();
  await expect(page).toHaveURL(/\/login\?deleted=1&purged=1$/);

  await logIn(page, account);
  await expect(formAlert(page)).toHaveText("Wrong email, handle or password.");
});
