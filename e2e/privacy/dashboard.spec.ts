import type { Page } from "@playwright/test";
import { expect, expectAccessible, newAccount, signUp, test } from "../fixtures/test";

/**
 * People search, as the person on `page` would run it. The search page (/search) is not built
 * yet, so this calls its tRPC query directly, with the page's cookies.
 */
async function searchPeople(page: Page, query: string): Promise<string[]> {
  const input = encodeURIComponent(JSON.stringify({ query }));
  const response = await page.request.get(`/api/trpc/social.search.people?input=${input}`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { result: { data: { handle: string }[] } };
  return body.result.data.map((person) => person.handle);
}

test("a person decides what their data may serve, and sees each decision and each use", async ({ page, browser }) => {
  // Two people and three accessibility scans: a long journey, not a slow step.
  test.slow();
  const alice = newAccount();
  await signUp(page, alice);
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByRole("radio")).toHaveCount(14);
  await expect(page.getByRole("radio", { checked: true })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole("link", { name: "Skip — keep everything off" }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByRole("link", { name: "Go to Privacy and your data" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Privacy and your data" })).toBeVisible();
  const presence = page.getByRole("region", { name: "Show when you were last active" });
  await expect(presence.getByRole("status")).toHaveText(/: Off$/);
  await expect(presence.getByText("When you were active")).toBeVisible();
  await expectAccessible(page);

  await presence.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(presence.getByRole("status")).toHaveText(/: On since /);
  await expect(presence.getByRole("button", { name: "Allow", exact: true })).toHaveAttribute("aria-pressed", "true");
  await presence.getByRole("button", { name: "Don’t allow", exact: true }).click();
  await expect(presence.getByRole("status")).toHaveText(/: Off since /);
  await expect(presence.getByRole("button", { name: "Don’t allow", exact: true })).toHaveAttribute("aria-pressed", "true");

  const history = page.getByRole("table", { name: "History of your choices, newest first" });
  const rows = history.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByRole("rowheader")).toHaveText("Last active time");
  await expect(rows.nth(0).getByRole("cell")).toHaveText(["Not allowed", "1", "Privacy settings", /\d/]);
  await expect(rows.nth(1).getByRole("rowheader")).toHaveText("Last active time");
  await expect(rows.nth(1).getByRole("cell")).toHaveText(["Allowed", "1", "Privacy settings", /\d/]);

  // Someone else, who knows Alice's email address, looks for her.
  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  const bob = newAccount();
  await signUp(bobPage, bob);
  expect(await searchPeople(bobPage, alice.email)).toEqual([]);

  const byEmail = page.getByRole("region", { name: "Let people find you by your email address" });
  await byEmail.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(byEmail.getByRole("status")).toHaveText(/: On since /);
  expect(await searchPeople(bobPage, alice.email)).toEqual([alice.handle]);
  await bobContext.close();

  await page.reload();
  const log = page.getByRole("list", { name: "Uses of your data, newest first" });
  const found = log.getByRole("listitem").filter({ hasText: `@${bob.handle} found you by your email address` });
  await expect(found).toHaveCount(1);
  await expect(found).toContainText("Found by email address");
  await expect(found).toContainText("Data: your email address");

  const filter = page.getByLabel("Show", { exact: true });
  await filter.selectOption({ label: "Found by email address" });
  await expect(log.getByRole("listitem")).toHaveCount(1);
  await filter.selectOption({ label: "Hearth’s operators" });
  await expect(page.getByText("Nothing recorded for “Hearth’s operators”.")).toBeVisible();
  await expectAccessible(page);
});

test("the access log pages through a long history, 50 entries at a time", async ({ page, browser }) => {
  // 51 real uses of the data, by a second person: a long journey, not a slow step.
  test.slow();
  const alice = newAccount();
  await signUp(page, alice);
  await page.goto("/settings/privacy");
  const byEmail = page.getByRole("region", { name: "Let people find you by your email address" });
  await byEmail.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(byEmail.getByRole("status")).toHaveText(/: On since /);

  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await signUp(bobPage, newAccount());
  const finds = await Promise.all(Array.from({ length: 51 }, () => searchPeople(bobPage, alice.email)));
  expect(finds.flat()).toEqual(Array(51).fill(alice.handle));
  await bobContext.close();

  await page.reload();
  const entries = page.getByRole("list", { name: "Uses of your data, newest first" }).getByRole("listitem");
  await expect(entries).toHaveCount(50);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(entries).toHaveCount(51);
  await expect(entries.nth(50)).toBeFocused();
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  await expect(page.getByText("That is everything from the last year.")).toBeVisible();
});

test("the welcome screen records the answers given there, and only those", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await page.getByRole("group", { name: "Count you in Hearth’s usage totals" }).getByRole("radio", { name: "Yes" }).check();
  await page.getByRole("group", { name: "Allow your public posts in an AI training dataset" }).getByRole("radio", { name: "No" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goto("/settings/privacy");
  await expect(page.getByRole("region", { name: "Count you in Hearth’s usage totals" }).getByRole("status")).toHaveText(/: On since /);
  await expect(page.getByRole("region", { name: "Allow your public posts in an AI training dataset" }).getByRole("status")).toHaveText(/: Off since /);
  await expect(page.getByRole("region", { name: "Show when you were last active" }).getByRole("status")).toHaveText(/: Off$/);
  const rows = page.getByRole("table", { name: "History of your choices, newest first" }).locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.getByRole("cell").filter({ hasText: "Welcome screen" })).toHaveCount(2);
});

test("the dashboard speaks German to a person who chose German", async ({ page, baseURL }) => {
  await signUp(page, newAccount());
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "de", url: baseURL! }]);
  await page.goto("/settings/privacy");
  await expect(page.getByRole("heading", { level: 1, name: "Datenschutz und deine Daten" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Zeigen, wann du zuletzt aktiv warst" }).getByRole("status")).toHaveText(/: Aus$/);
  await expectAccessible(page);
});
