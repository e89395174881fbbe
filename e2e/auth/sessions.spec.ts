import { expect, expectAccessible, logIn, newAccount, signUp, test } from "../fixtures/test";

test("a person sees where they are signed in and logs another browser out", async ({ page, browser }) => {
  const account = newAccount();
  await signUp(page, account);

  const otherContext = await browser.newContext({
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
  });
  const other = await otherContext.newPage();
  await logIn(other, account);
  await expect(other.getByRole("heading", { name: `Welcome, ${account.handle}` })).toBeVisible();

  await page.getByRole("link", { name: "Settings", exact: true }).click();
  const sessions = page.getByRole("list", { name: "Where you are signed in" });
  await expect(sessions.getByRole("listitem")).toHaveCount(2);
  await expect(sessions.getByRole("listitem").filter({ hasText: "This browser" })).toHaveCount(1);
  await expectAccessible(page);

  await sessions.getByRole("button", { name: /^Log out Safari on macOS/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Session ended." })).toBeVisible();
  await expect(sessions.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByText("You are signed in only here.")).toBeVisible();

  await other.reload();
  await expect(other).toHaveURL(/\/login$/);
  await otherContext.close();

  await page.reload();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
});

test("logging out everywhere else keeps this browser signed in", async ({ page, browser }) => {
  const account = newAccount();
  await signUp(page, account);
  const others = await Promise.all([browser.newContext(), browser.newContext()]);
  for (const context of others) {
    const other = await context.newPage();
    await logIn(other, account);
    await expect(other.getByRole("heading", { name: `Welcome, ${account.handle}` })).toBeVisible();
  }

  await page.goto("/settings");
  await page.getByRole("button", { name: "Log out everywhere else" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Logged out of 2 other sessions." })).toBeVisible();

  for (const context of others) {
    const [other] = context.pages();
    await other!.reload();
    await expect(other!).toHaveURL(/\/login$/);
    await context.close();
  }
});
