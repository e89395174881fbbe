// Home's stories, composer and timeline are rendered by the server, and their code loads beside the
// page's first load rather than in it (app/_social/timeline/home-column.tsx). Until that code has
// run they must take no typing or pressing they would lose: a composer that came to life after
// text was typed into it once sent posts without their text.
import type { Route } from "@playwright/test";
import { uniqueWord } from "../fixtures/people";
import { expect, newAccount, signUp, test } from "../fixtures/test";

test("home's composer is shown at once, takes nothing until its code has run, then posts what is typed", async ({ page }) => {
  await signUp(page, newAccount());

  // Hold back every script the home page's HTML does not name: the parts loaded beside it.
  const named = new Set<string>();
  const held: Route[] = [];
  let holding = true;
  await page.route("**/*", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (request.resourceType() === "document" && url.pathname === "/") {
      const response = await route.fetch();
      const html = await response.text();
      for (const match of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) named.add(new URL(match[1]!, url).pathname);
      await route.fulfill({ response, body: html });
    } else if (holding && request.resourceType() === "script" && url.pathname.startsWith("/_next/static/") && !named.has(url.pathname)) {
      held.push(route);
    } else {
      await route.continue();
    }
  });

  await page.goto("/", { waitUntil: "domcontentloaded" });
  const composer = page.getByRole("main").getByRole("form", { name: "Write a post" });
  const textbox = composer.getByRole("textbox", { name: "Write a post" });
  await expect(textbox).toBeVisible();
  // The page's own scripts have run (its navigation answers), the composer's have not.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect.poll(() => held.length, { message: "scripts loaded beside the page" }).toBeGreaterThan(0);
  await expect(textbox).toBeDisabled();
  await expect(composer.getByRole("button", { name: "Post", exact: true })).toBeDisabled();

  holding = false;
  for (const route of held.splice(0)) await route.continue();
  await expect(textbox).toBeEnabled();
  const text = `${uniqueWord("first")} typed as soon as the composer took it`;
  await textbox.fill(text);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(page.getByText("Your post was sent.", { exact: true })).toBeVisible();
  await expect(page.getByRole("feed").getByRole("article").filter({ hasText: text })).toHaveCount(1);
});
