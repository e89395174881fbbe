// Helpers for journeys with several people: each in a browser context of their own, behind a
// client address of their own (so rate limits see separate visitors), and each held to the same
// rule as the fixture's page: no request to any origin but Hearth's.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, newAccount, signUp, type Account } from "../fixtures/test";

export interface Person {
  account: Account;
  context: BrowserContext;
  page: Page;
  /** The headers every request of this person carries; extend them to move the server's clock. */
  headers: Record<string, string>;
  foreignRequests: string[];
}

/** A small valid PNG (40×30, one colour), so no test depends on a file on disk. */
export const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAAK0lEQVR42u3NMQ0AAAgDsAlDEzqRhQw4mvRvputExGKxWCwWi8VisVj8N17h0ca7eWpN/wAAAABJRU5ErkJggg==",
  "base64",
);

/** An address from the IPv6 documentation prefix (2001:db8::/32): never contacted. */
function documentationIp(): string {
  return `2001:db8:50c::${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;
}

/** A new person, signed up and on their (empty) home timeline. */
export async function signUpPerson(browser: Browser, baseURL: string | undefined): Promise<Person> {
  const headers = { "x-forwarded-for": documentationIp() };
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: headers });
  const own = new URL(baseURL!).origin;
  const foreignRequests: string[] = [];
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (!["data:", "blob:"].includes(url.protocol) && url.origin !== own) foreignRequests.push(request.url());
  });
  const page = await context.newPage();
  const account = newAccount();
  await signUp(page, account);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  return { account, context, page, headers, foreignRequests };
}

/** Closes the person's browser and checks that nothing left for another origin. */
export async function leave(person: Person): Promise<void> {
  await person.context.close();
  expect(person.foreignRequests, `requests to other origins by @${person.account.handle}`).toEqual([]);
}

/**
 * Waits for the server's answer to a follow. The button changes before the server answers (it is
 * optimistic), and leaving the page at once would cancel the request.
 */
export function followAnswered(page: Page): Promise<unknown> {
  return page.waitForResponse((response) => {
    const procedures = new URL(response.url()).pathname.replace("/api/trpc/", "").split(",");
    return response.request().method() === "POST" && procedures.includes("social.people.follow") && response.ok();
  });
}

/** Follows someone from their profile and waits until the button and the server say so. */
export async function follow(person: Person, handle: string): Promise<void> {
  const { page } = person;
  await page.goto(`/@${handle}`);
  const main = page.getByRole("main");
  const answered = followAnswered(page);
  await main.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(main.getByRole("button", { name: /^(Following|Unfollow)$/ })).toBeVisible();
  await answered;
}

/** A word of letters only that no other test (or earlier run) will have posted, for search. */
export function uniqueWord(prefix: string): string {
  const letters = Array.from(randomBytes(6), (byte) => String.fromCharCode(97 + (byte % 26))).join("");
  return `${prefix}${letters}`;
}
