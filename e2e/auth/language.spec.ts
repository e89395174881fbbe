import { expect, expectAccessible, newAccount, signUp, test } from "../fixtures/test";

test.describe("with a German browser", () => {
  test.use({ locale: "de-DE" });

  test("pages speak German without being asked", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Bei Hearth anmelden" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expectAccessible(page);
  });
});

test("a person switches the language in settings, and it stays switched", async ({ page, browser }) => {
  const account = newAccount();
  await signUp(page, account);
  await page.goto("/settings");
  await page.getByLabel("Display language").selectOption("de");
  await expect(page.getByRole("heading", { name: "Einstellungen", level: 1 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByRole("heading", { name: "Einstellungen", level: 1 })).toBeVisible();

  // The choice belongs to the account: another browser gets it at log-in.
  const fresh = await browser.newContext({ locale: "en-US" });
  const other = await fresh.newPage();
  await other.goto("/login");
  await other.getByLabel("Email or handle").fill(account.email);
  await other.getByLabel("Password").fill(account.password);
  await other.getByRole("button", { name: "Log in" }).click();
  await expect(other.getByRole("heading", { name: `Willkommen, ${account.handle}` })).toBeVisible();
  await fresh.close();

  await page.getByLabel("Anzeigesprache").selectOption("");
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
});
