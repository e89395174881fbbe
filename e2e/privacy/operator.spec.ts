import { expect, expectAccessible, newAccount, signUp, test } from "../fixtures/test";

test("the operator's usage totals do not exist for anyone else", async ({ page }) => {
  await page.goto("/operator/analytics");
  await expect(page).toHaveURL(/\/login$/);

  await signUp(page, newAccount());
  const response = await page.goto("/operator/analytics");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();
  await expect(page.getByText("This page is only for the people who run this Hearth server.")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  await expectAccessible(page);
});
