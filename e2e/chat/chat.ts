// Helpers for the private-message journeys. Every message text is unique and written down with
// mustStayPrivate, so the run's teardown can prove the server never saw it in clear.
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { follow, signUpPerson, type Person } from "../fixtures/people";
import { expect } from "../fixtures/test";
import { mustStayPrivate } from "../fixtures/secrets-ledger";

/** A message no other test sends, recorded as one that must never reach the server in clear. */
export function privateText(label: string): string {
  return mustStayPrivate(`${label} ${randomBytes(6).toString("hex")}`);
}

/** Waits until this browser's chat is set up and running (its conversation list, empty or not, shows). */
export async function expectChatReady(page: Page): Promise<void> {
  await expect(page.getByTestId("conversation-list").or(page.getByTestId("conversations-empty"))).toBeVisible({ timeout: 30_000 });
}

/**
 * Opens Messages until it runs: the account's first browser is set up by itself; another one is set
 * up from the set-up screen (confirming a new identity if asked).
 */
export async function setUpMessages(page: Page): Promise<void> {
  await page.goto("/chat");
  const setUp = page.getByRole("button", { name: "Set up messaging on this browser" });
  const ready = page.getByTestId("conversation-list").or(page.getByTestId("conversations-empty"));
  await expect(setUp.or(ready)).toBeVisible({ timeout: 30_000 });
  if (!(await setUp.isVisible())) return expectChatReady(page);
  await setUp.click();
  const confirm = page.getByRole("button", { name: "Start a new identity" });
  await expect(confirm.or(ready)).toBeVisible({ timeout: 30_000 });
  if (await confirm.isVisible()) await confirm.click();
  await expectChatReady(page);
}

export async function openConversation(page: Page, handle: string): Promise<void> {
  await page.goto(`/chat/@${handle}`);
  await expect(page.getByTestId("conversation-view")).toBeVisible({ timeout: 20_000 });
}

export function composer(page: Page) {
  return page.getByRole("textbox", { name: "Message", exact: true });
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press("Enter");
  await expect(message(page, text)).toBeVisible();
  await expect(composer(page)).toHaveValue("");
}

/** The message row with this text in the open conversation. */
export function message(page: Page, text: string) {
  return page.getByTestId("message").filter({ hasText: text });
}

/** The 60 digits of the safety number with `handle`, from its screen. */
export async function readSafetyNumber(page: Page, handle: string): Promise<string> {
  await page.goto(`/chat/@${handle}/safety`);
  const digits = page.getByTestId("safety-number");
  await expect(digits).toHaveText(/\d/, { timeout: 20_000 });
  return (await digits.innerText()).replace(/\D/g, "");
}

/** Opens the group named `name` from the conversation list. */
export async function openGroupFromList(page: Page, name: string): Promise<void> {
  await page.goto("/chat");
  const row = page.getByTestId("conversation").filter({ hasText: name });
  await expect(row).toHaveAttribute("data-kind", "group", { timeout: 20_000 });
  await row.getByRole("link").first().click();
  await expect(page.getByTestId("group-conversation")).toBeVisible();
}

/** The admin makes a group of the people chosen (people they follow); resolves to its id, its conversation open. */
export async function makeGroup(admin: Person, name: string, members: Person[]): Promise<string> {
  const { page } = admin;
  await page.goto("/chat");
  await page.getByTestId("new-group-button").click();
  await page.getByTestId("group-name-input").fill(name);
  for (const member of members) await page.locator(`[data-testid="group-member-option"][data-handle="${member.account.handle}"]`).getByRole("checkbox").check();
  await expect(page.getByTestId("group-chosen-count")).toHaveAttribute("data-count", String(members.length));
  await page.getByTestId("create-group-submit").click();
  const view = page.getByTestId("group-conversation");
  await expect(view).toBeVisible({ timeout: 20_000 });
  return (await view.getAttribute("data-group-id"))!;
}

/**
 * Alice and Bob in browsers of their own, messages set up on both. Bob follows Alice, so her first
 * message is no message request (requests.spec.ts has those).
 */
export async function aliceAndBobWhoFollowsHer(browser: Browser, baseURL: string | undefined): Promise<{ alice: Person; bob: Person }> {
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  await follow(bob, alice.account.handle);
  await setUpMessages(alice.page);
  await setUpMessages(bob.page);
  return { alice, bob };
}
