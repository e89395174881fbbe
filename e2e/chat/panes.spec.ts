// Messages on a wide screen: the conversation list beside the open conversation (1:1 or group), kept
// while conversations change, marking the open one, moved through by keyboard; on a phone one pane
// at a time, as before.
import { leave } from "../fixtures/people";
import { expect, expectAccessible, test } from "../fixtures/test";
import { aliceAndBobWhoFollowsHer, composer, makeGroup, message, openConversation, privateText, sendMessage } from "./chat";

test("a wide screen shows the list beside the open conversation; a phone shows one at a time", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);
  const hello = privateText("hello for the side-by-side list");
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, hello);

  // Nothing open yet: the list, and beside it what to do.
  const page = bob.page;
  await page.goto("/chat");
  const list = page.getByTestId("chat-list-pane").getByTestId("conversation-list");
  const aliceLink = list.locator(`[data-handle="${alice.account.handle}"]`).getByRole("link");
  await expect(aliceLink).toContainText(hello, { timeout: 20_000 });
  await expect(page.getByTestId("chat-empty-pane").getByRole("heading", { name: "Choose a conversation or start a new one" })).toBeVisible();

  // A group made here opens beside the list, marked as the open one.
  const groupName = privateText("side by side group");
  const groupId = await makeGroup(bob, groupName, [alice]);
  // The list stayed, but the dialog that made the group is gone with the move to it.
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const groupLink = list.locator(`[data-group-id="${groupId}"]`).getByRole("link");
  await expect(groupLink).toHaveAttribute("aria-current", "page");
  await expect(aliceLink).not.toHaveAttribute("aria-current");
  await expect(page.getByTestId("chat-empty-pane")).toHaveCount(0);
  // The same list element from here on: it is kept (and with it its scroll and search), not drawn again.
  await list.evaluate((element) => ((window as unknown as { keptList: Element }).keptList = element));
  const sameList = () => list.evaluate((element) => element === (window as unknown as { keptList: Element }).keptList);

  // Switching by click: Alice's conversation beside the same list, the mark moved, the focus in her composer.
  await aliceLink.click();
  await expect(page.getByTestId("conversation-view")).toHaveAttribute("data-handle", alice.account.handle);
  await expect(message(page, hello)).toHaveAttribute("data-direction", "incoming");
  await expect(aliceLink).toHaveAttribute("aria-current", "page");
  await expect(groupLink).not.toHaveAttribute("aria-current");
  await expect(composer(page)).toBeFocused();
  expect(await sameList()).toBe(true);
  await expectAccessible(page);

  // Switching by keyboard: arrows move through the list, Enter opens the group beside it.
  await aliceLink.focus();
  await page.keyboard.press("Home");
  await expect(list.getByRole("link").first()).toBeFocused();
  await page.keyboard.press("End");
  await expect(list.getByRole("link").last()).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(list.getByRole("link").first()).toBeFocused();
  await groupLink.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("group-conversation")).toHaveAttribute("data-group-id", groupId);
  await expect(groupLink).toHaveAttribute("aria-current", "page");
  await expect(composer(page)).toBeFocused();
  expect(await sameList()).toBe(true);

  // A phone: the list alone, then the conversation alone with its way back.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/chat");
  const phoneList = page.getByTestId("conversation-list");
  await expect(phoneList).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("chat-list-pane")).toHaveCount(0);
  await expect(page.getByTestId("chat-empty-pane")).toHaveCount(0);
  await phoneList.locator(`[data-handle="${alice.account.handle}"]`).getByRole("link").click();
  await expect(page.getByTestId("conversation-view")).toHaveAttribute("data-handle", alice.account.handle);
  await expect(phoneList).toHaveCount(0);
  await expect(composer(page)).not.toBeFocused();
  await page.getByRole("link", { name: "Back to messages" }).click();
  await expect(phoneList).toBeVisible();
  await expect(page.getByTestId("conversation-view")).toHaveCount(0);

  await leave(alice);
  await leave(bob);
});

test("with no conversations a wide screen offers one New message; a notice goes once its conversation is opened from the list", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);
  // Bob has no conversation yet: the list says so and offers New message; the pane beside does not repeat it.
  const page = bob.page;
  await expect(page.getByTestId("chat-list-pane").getByTestId("conversations-empty").getByRole("button", { name: "New message" })).toBeVisible();
  const emptyPane = page.getByTestId("chat-empty-pane");
  await expect(emptyPane).toContainText("The conversations you start will open here.");
  await expect(emptyPane.getByRole("button")).toHaveCount(0);
  await expect(emptyPane.getByRole("heading")).toHaveCount(0);

  // Alice writes: a notice, and her conversation in the list. Opened from the list, the notice goes
  // at once (it would otherwise stay six seconds).
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, privateText("a notice for Bob"));
  const notice = page.getByRole("status").filter({ hasText: "New message from" });
  await expect(notice).toBeVisible({ timeout: 20_000 });
  await page.getByTestId("conversation-list").locator(`[data-handle="${alice.account.handle}"]`).getByRole("link").click();
  await expect(notice).toBeHidden({ timeout: 3_000 });
  await expect(page.getByTestId("conversation-view")).toHaveAttribute("data-handle", alice.account.handle);

  // A message in the conversation on screen brings no notice.
  const whileOpen = privateText("while Bob reads");
  await sendMessage(alice.page, whileOpen);
  await expect(message(page, whileOpen)).toBeVisible({ timeout: 20_000 });
  await expect(notice).toHaveCount(0);

  await leave(alice);
  await leave(bob);
});
