// Private messages across tabs and pages: a second tab works through the first (which holds the
// keys) and takes over when it closes; a message arriving while the person is elsewhere in Hearth
// shows as an unread count in the navigation and the title, and as a notice on the page.
import { follow, leave, signUpPerson } from "../fixtures/people";
import { expect, test } from "../fixtures/test";
import { aliceAndBobWhoFollowsHer, message, openConversation, privateText, sendMessage, setUpMessages } from "./chat";

test("a second tab sends and reads through the first, and carries on when the first closes", async ({ browser, baseURL }) => {
  // Several browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(150_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);
  await openConversation(bob.page, alice.account.handle);

  const second = await alice.context.newPage();
  await openConversation(second, bob.account.handle);
  const fromSecondTab = privateText("from the second tab");
  await sendMessage(second, fromSecondTab);
  await expect(message(bob.page, fromSecondTab)).toHaveAttribute("data-direction", "incoming", { timeout: 20_000 });
  await expect(message(second, fromSecondTab)).toHaveAttribute("data-state", "delivered");
  const reply = privateText("reply to both tabs");
  await sendMessage(bob.page, reply);
  await expect(message(second, reply)).toHaveAttribute("data-direction", "incoming");

  // The tab holding the keys closes: the second takes them over without a reload.
  await alice.page.close();
  const afterClose = privateText("after the first tab closed");
  await sendMessage(bob.page, afterClose);
  await expect(message(second, afterClose)).toBeVisible({ timeout: 20_000 });
  const stillSending = privateText("the second tab still sends");
  await sendMessage(second, stillSending);
  await expect(message(bob.page, stillSending)).toBeVisible({ timeout: 20_000 });

  await leave(alice);
  await leave(bob);
});

test("a message arriving elsewhere in Hearth shows in the navigation, the title and a notice, until it is read", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  // Alice follows Bob, so his first message is no message request (e2e/chat/requests.spec.ts has those).
  await follow(alice, bob.account.handle);
  await setUpMessages(alice.page);
  await setUpMessages(bob.page);

  await alice.page.goto("/");
  const messagesLink = alice.page.getByTestId("nav-message");
  await expect(messagesLink).toHaveAccessibleName("Messages");
  await openConversation(bob.page, alice.account.handle);
  await sendMessage(bob.page, privateText("are you there"));

  await expect(messagesLink).toHaveAccessibleName("Messages 1 unread", { timeout: 20_000 });
  await expect(alice.page).toHaveTitle(/^\(1\) /);
  const notice = alice.page.getByRole("status").filter({ hasText: "New message from" });
  await expect(notice).toBeVisible();
  await notice.getByRole("link", { name: "Open" }).click();

  await expect(alice.page.getByTestId("conversation-view")).toHaveAttribute("data-handle", bob.account.handle);
  await expect(alice.page).not.toHaveTitle(/^\(\d+\) /);
  // Messages' own frame leads back to the social site, whose navigation no longer counts it.
  await alice.page.getByTestId("back-to-hearth").click();
  await expect(alice.page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  await expect(messagesLink).toHaveAccessibleName("Messages");

  await leave(alice);
  await leave(bob);
});
