// Reactions, replies, edits, deletion, read receipts and typing between two people, each in their
// own browser. Every text (edits too) is recorded as private: the teardown proves the server never
// saw one in clear, control messages included.
import type { Page } from "@playwright/test";
import { follow, leave, signUpPerson } from "../fixtures/people";
import { expect, expectAccessible, test } from "../fixtures/test";
import { composer, message, openConversation, privateText, sendMessage, setUpMessages } from "./chat";

/** The message whose own text is `text` (a reply quoting it also contains the text). */
function own(page: Page, text: string) {
  return page.getByTestId("message").filter({ has: page.getByTestId("message-body").filter({ hasText: text }) });
}

/** Opens a message's actions menu from the keyboard: focus the message, Tab to its menu button, arrow down. */
async function openMenu(page: Page, text: string) {
  const row = own(page, text);
  await row.focus();
  await page.keyboard.press("Tab");
  await expect(row.getByRole("button", { name: "Message actions" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  const menu = row.getByRole("menu", { name: "Message actions" });
  await expect(menu).toBeVisible();
  return menu;
}

/** Counts this page's envelope sends (every sealed message, receipt or typing signal goes out through one). */
function countSends(page: Page): { count: () => number } {
  let sends = 0;
  page.on("request", (request) => {
    if (request.url().includes("chat.envelopes.send")) sends++;
  });
  return { count: () => sends };
}

test("reactions, replies, edits, deletion, read receipts and typing reach the other person", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  // They follow each other: a first message from a stranger is a request, which sends no receipts (e2e/chat/requests.spec.ts).
  await follow(alice, bob.account.handle);
  await follow(bob, alice.account.handle);
  await setUpMessages(alice.page);
  await setUpMessages(bob.page);
  await openConversation(alice.page, bob.account.handle);
  const plan = privateText("dinner at seven");
  await sendMessage(alice.page, plan);
  await openConversation(bob.page, alice.account.handle);
  await expect(message(bob.page, plan)).toBeVisible();
  // Bob has it on screen: Alice sees it read.
  await expect(message(alice.page, plan).getByTestId("read-state")).toHaveText("Read");

  // Bob reacts from the keyboard: arrows move through the menu.
  let menu = await openMenu(bob.page, plan);
  await expect(menu.getByRole("menuitem", { name: "React with 👍" })).toBeFocused();
  await bob.page.keyboard.press("ArrowRight");
  await expect(menu.getByRole("menuitem", { name: "React with ❤️" })).toBeFocused();
  await bob.page.keyboard.press("Enter");
  await expect(message(alice.page, plan).getByTestId("reaction")).toHaveAttribute("data-emoji", "❤️");
  await expect(message(alice.page, plan).getByTestId("reaction")).toHaveAttribute("data-count", "1");

  // Alice is typing: Bob sees it.
  await composer(alice.page).fill("I");
  await expect(bob.page.getByTestId("typing-indicator")).toHaveText(/is typing…/);
  await composer(alice.page).fill("");

  // Bob replies, quoting her message.
  menu = await openMenu(bob.page, plan);
  await menu.getByRole("menuitem", { name: "Reply" }).click();
  await expect(bob.page.getByTestId("reply-preview")).toContainText(plan);
  const answer = privateText("yes please");
  await sendMessage(bob.page, answer);
  await expect(bob.page.getByTestId("reply-preview")).toHaveCount(0);
  const quote = own(alice.page, answer).getByTestId("message-quote");
  await expect(quote).toContainText(plan);
  await quote.click();
  await expect(own(alice.page, plan)).toBeFocused();

  // Alice edits her message (Escape cancels an edit, the second try saves).
  menu = await openMenu(alice.page, plan);
  await menu.getByRole("menuitem", { name: "Edit" }).click();
  await expect(composer(alice.page)).toHaveValue(plan);
  await composer(alice.page).press("Escape");
  await expect(composer(alice.page)).toHaveValue("");
  menu = await openMenu(alice.page, plan);
  await menu.getByRole("menuitem", { name: "Edit" }).click();
  const better = privateText("dinner at eight");
  await composer(alice.page).fill(better);
  await composer(alice.page).press("Enter");
  await expect(own(bob.page, better).getByTestId("message-edited")).toBeVisible();
  await own(bob.page, better).getByText("edited").click();
  await expect(own(bob.page, better).getByTestId("message-edited")).toContainText(plan);
  await expect(own(bob.page, answer).getByTestId("message-quote")).toContainText(better);
  await expectAccessible(bob.page);

  // Deleted for everyone: gone on Bob's side too, and his reply's quote says so.
  menu = await openMenu(alice.page, better);
  await menu.getByRole("menuitem", { name: "Delete for everyone" }).click();
  await alice.page.getByTestId("confirm-delete").getByRole("button", { name: "Delete" }).click();
  await expect(own(alice.page, better)).toHaveCount(0);
  await expect(own(bob.page, better)).toHaveCount(0);
  await expect(bob.page.getByTestId("message").filter({ hasText: "This message was deleted" })).toHaveCount(1);
  await expect(own(bob.page, answer).getByTestId("message-quote")).toHaveText(/Original message deleted/);
  await expectAccessible(alice.page);

  await leave(alice);
  await leave(bob);
});

test("read receipts and typing switched off are neither sent nor shown", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  // They follow each other: a first message from a stranger is a request, which sends no receipts (e2e/chat/requests.spec.ts).
  await follow(alice, bob.account.handle);
  await follow(bob, alice.account.handle);
  await setUpMessages(alice.page);
  await setUpMessages(bob.page);

  // Bob switches both off on his device.
  await bob.page.goto("/chat/settings");
  const receipts = bob.page.getByRole("switch", { name: "Read receipts" });
  const typing = bob.page.getByRole("switch", { name: "Typing indicators" });
  await expect(receipts).toBeChecked();
  await receipts.uncheck();
  await typing.uncheck();
  await expect(receipts).not.toBeChecked();
  await expect(typing).not.toBeChecked();
  await expectAccessible(bob.page);
  // Kept on the device: still off after a reload.
  await bob.page.reload();
  await expect(bob.page.getByRole("switch", { name: "Read receipts" })).not.toBeChecked();

  await openConversation(alice.page, bob.account.handle);
  const first = privateText("are you there");
  await sendMessage(alice.page, first);
  await expect(message(alice.page, first)).toHaveAttribute("data-state", "delivered");

  // Bob reads it and types: his browser sends nothing until he sends his answer.
  const bobSends = countSends(bob.page);
  await openConversation(bob.page, alice.account.handle);
  await expect(message(bob.page, first)).toBeVisible();
  const answer = privateText("here");
  await composer(bob.page).fill(answer);
  await bob.page.waitForTimeout(1_500);
  expect(bobSends.count()).toBe(0);
  await expect(alice.page.getByTestId("typing-indicator")).toHaveText("");
  await composer(bob.page).press("Enter");
  // His answer comes after anything he would have sent before it: no "Read", no typing.
  await expect(message(alice.page, answer)).toBeVisible();
  await expect(message(alice.page, first).getByTestId("read-state")).toHaveCount(0);
  await expect(message(alice.page, first)).toHaveAttribute("data-state", "delivered");

  // Alice (both on) types and reads Bob's answer: Bob, with both off, is shown neither.
  await composer(alice.page).fill("typing");
  await bob.page.waitForTimeout(1_500);
  await expect(bob.page.getByTestId("typing-indicator")).toHaveText("");
  await composer(alice.page).fill("");
  const third = privateText("see you");
  await sendMessage(alice.page, third);
  await expect(message(bob.page, third)).toBeVisible();
  await expect(message(bob.page, answer)).toHaveAttribute("data-state", "delivered");
  await expect(message(bob.page, answer).getByTestId("read-state")).toHaveCount(0);

  await leave(alice);
  await leave(bob);
});
