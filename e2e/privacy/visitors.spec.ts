import { expect, expectAccessible, newAccount, signUp, test } from "../fixtures/test";

test("a logged-out visitor sees a profile only while its owner allows it, and search engines are told the same", async ({ page, browser }) => {
  test.slow(); // two browsers and several page loads in one journey
  const alice = newAccount();
  await signUp(page, alice);
  await page.goto("/");
  const composer = page.getByRole("form", { name: "Write a post" });
  await composer.getByRole("textbox", { name: "Write a post" }).fill("A thought for the open web");
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(page.getByText("A thought for the open web").first()).toBeVisible();

  const visitorContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "2001:db8::5e:1" } });
  const visitor = await visitorContext.newPage();
  const foreign: string[] = [];
  visitorContext.on("request", (request) => {
    if (!request.url().startsWith(new URL(page.url()).origin)) foreign.push(request.url());
  });

  await visitor.goto(`/@${alice.handle}`);
  await expect(visitor).toHaveURL(/\/login$/);
  await expect(visitor.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  expect(await (await visitor.request.get("/sitemap.xml")).text()).not.toContain(`/@${alice.handle}`);

  await page.goto("/settings/privacy");
  const indexing = page.getByRole("region", { name: "Show your profile to people who are not logged in" });
  await indexing.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(indexing.getByRole("status")).toHaveText(/: On since /);

  await visitor.goto(`/@${alice.handle}`);
  await expect(visitor.getByRole("heading", { level: 1, name: alice.handle })).toBeVisible();
  await expect(visitor.getByText("A thought for the open web")).toBeVisible();
  await expect(visitor.locator('meta[name="robots"]')).toHaveAttribute("content", /^index, follow$/);
  await expectAccessible(visitor);
  expect(await (await visitor.request.get("/sitemap.xml")).text()).toContain(`/@${alice.handle}`);

  await indexing.getByRole("button", { name: "Don’t allow", exact: true }).click();
  await expect(indexing.getByRole("status")).toHaveText(/: Off since /);
  await visitor.goto(`/@${alice.handle}`);
  await expect(visitor).toHaveURL(/\/login$/);
  expect(await (await visitor.request.get("/sitemap.xml")).text()).not.toContain(`/@${alice.handle}`);

  await page.goto("/settings/privacy");
  const log = page.getByRole("list", { name: "Uses of your data, newest first" });
  await expect(log.getByText("Showed your public profile to a logged-out visitor").first()).toBeVisible();

  expect(foreign).toEqual([]);
  await visitorContext.close();
});
