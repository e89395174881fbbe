import { expect, expectAccessible, formAlert, logIn, logOut, newAccount, signUp, test } from "../fixtures/test";

test("a new person signs up, logs out and logs back in", async ({ page }) => {
  const account = newAccount();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expectAccessible(page);

  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create your Hearth account" })).toBeVisible();
  await expectAccessible(page);

  await signUp(page, account);
  await expect(page.getByText(`You are signed in as @${account.handle}.`)).toBeVisible();
  await expectAccessible(page);

  await logOut(page);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);

  await logIn(page, account);
  await expect(page.getByRole("heading", { name: `Welcome, ${account.handle}` })).toBeVisible();
});

test("the log-in form takes a handle, with or without its @, as well as the email", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await logOut(page);

  await logIn(page, account, `@${account.handle}`);
  await expect(page.getByRole("heading", { name: `Welcome, ${account.handle}` })).toBeVisible();
  await logOut(page);

  await logIn(page, account, account.handle.toUpperCase());
  await expect(page.getByRole("heading", { name: `Welcome, ${account.handle}` })).toBeVisible();
  await logOut(page);

  await logIn(page, { email: account.email, password: "not my password at all" }, `@${account.handle}`);
  await expect(formAlert(page)).toHaveText("Wrong email, handle or password.");
  await logIn(page, { email: account.email, password: "not my password at all" }, "@nobody_here_at_all");
  await expect(formAlert(page)).toHaveText("Wrong email, handle or password.");
});

test("a wrong password is refused with a message that names no account", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await logOut(page);

  await logIn(page, { email: account.email, password: "not my password at all" });
  const alert = formAlert(page);
  await expect(alert).toHaveText("Wrong email, handle or password.");
  await expect(alert).toBeFocused();
  await expect(page).toHaveURL(/\/login$/);
  await expectAccessible(page);

  await logIn(page, { email: "nobody-here@example.org", password: "not my password at all" });
  await expect(formAlert(page)).toHaveText("Wrong email, handle or password.");
});

test("sign-up explains each field the server refused, and keeps what was typed", async ({ page }) => {
  const taken = newAccount();
  await signUp(page, taken);
  await logOut(page);

  await page.goto("/signup");
  await page.getByLabel("Handle").fill(taken.handle.toUpperCase());
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(formAlert(page)).toHaveText("Please correct the highlighted fields.");
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription(/Enter a valid email address/);
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/list of common passwords/);
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Handle")).toHaveValue(taken.handle.toUpperCase());
  await expectAccessible(page);

  await page.getByLabel("Email").fill(newAccount().email);
  await page.getByLabel("Password").fill("a different long passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Handle")).toHaveAccessibleDescription(/This handle is taken/);
});

test("repeated wrong passwords lock the account and say when to retry", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await logOut(page);

  for (let attempt = 0; attempt < 5; attempt++) {
    await logIn(page, { email: account.email, password: `wrong guess number ${attempt}` });
    await expect(formAlert(page)).toHaveText("Wrong email, handle or password.");
  }
  await logIn(page, account);
  // A 15-minute window is stored as a whole multiple of 15 minutes from its first miss on, so the
  // lock lasts 15 to 30 minutes (server/data/rate-limit/hit-rate-limit.ts says why).
  await expect(formAlert(page)).toHaveText(/^Too many attempts\. Try again in (1[4-9]|2\d|30) minutes\.$/);
  await expect(page).toHaveURL(/\/login$/);
});
