import { expect, expectAccessible, test } from "../fixtures/test";
import { follow, followAnswered, leave, signUpPerson } from "../fixtures/people";

test("who to follow says how it was chosen, and uses a person's follows only once they allow it", async ({ browser, baseURL }) => {
  test.slow(); // three people sign up
  const carol = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  const alice = await signUpPerson(browser, baseURL);
  await follow(bob, carol.account.handle);
  await follow(alice, bob.account.handle);

  const page = alice.page;
  await page.goto("/");
  const panel = page.getByRole("region", { name: "Who to follow" });
  await expect(panel.getByText(/^The same suggestions for everyone: Hearth uses your data for this only if you allow it/)).toBeVisible();
  await expect(panel.getByRole("link", { name: "Privacy settings" })).toHaveAttribute("href", /^\/settings\/privacy/);
  await expectAccessible(page);

  await panel.getByRole("link", { name: "Privacy settings" }).click();
  const purpose = page.getByRole("region", { name: "Suggest people to follow from your activity" });
  await purpose.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(purpose.getByRole("status")).toHaveText(/: On since /);

  // Bob follows Carol, so Carol is suggested to Alice, who follows Bob.
  await page.goto("/");
  await expect(panel.getByText(/^Based on whom you follow and what you liked/)).toBeVisible();
  const row = panel.getByRole("listitem").filter({ hasText: `@${carol.account.handle}` });
  const answered = followAnswered(page);
  await row.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(row.getByRole("button", { name: /^(Following|Unfollow)$/ })).toBeVisible();
  await answered;

  await page.goto(`/@${carol.account.handle}`);
  await expect(page.getByRole("main").getByRole("button", { name: /^(Following|Unfollow)$/ })).toBeVisible();

  await leave(carol);
  await leave(bob);
  await leave(alice);
});
