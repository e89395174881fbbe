// Message requests, end to end in three browsers: first messages from two people Bob does not
// follow wait in his Requests, outside his conversations and his unread count, and their senders
// see no "delivered"; he accepts one by keyboard (its sender then sees "delivered") and blocks the
// other, whose next message is refused and never reaches him.
import { leave, signUpPerson } from "../fixtures/people";
import { expect, expectAccessible, test } from "../fixtures/test";
import { composer, message, openConversation, privateText, sendMessage, setUpMessages } from "./chat";

test("a message request is accepted and another is blocked; the sender sees delivered only after acceptance", async ({ browser, baseURL }) => {
  // Three browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(180_000);
  const [alice, bob, mallory] = await Promise.all([signUpPerson(browser, baseURL), signUpPerson(browser, baseURL), signUpPerson(browser, baseURL)]);
  await Promise.all([setUpMessages(alice.page), setUpMessages(bob.page), setUpMessages(mallory.page)]);

  const hello = privateText("hello from alice, a first message");
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, hello);
  const spam = privateText("cheap watches from mallory");
  await openConversation(mallory.page, bob.account.handle);
  await sendMessage(mallory.page, spam);

  // Bob's conversations stay empty and unread-free; both wait under "Requests (2)".
  await bob.page.goto("/chat");
  const entry = bob.page.getByRole("link", { name: "Requests (2)" });
  await expect(entry).toBeVisible({ timeout: 20_000 });
  await expect(bob.page.getByTestId("conversations-empty")).toBeVisible();
  await bob.page.goto("/");
  await expect(bob.page.getByTestId("nav-message")).toHaveAccessibleName("Messages");
  await expect(bob.page).not.toHaveTitle(/^\(\d+\) /);
  await bob.page.goto("/chat");
  await entry.click();
  const requests = bob.page.getByTestId("request-list");
  await expect(requests.getByTestId("conversation")).toHaveCount(2);
  await expectAccessible(bob.page);

  // Alice's request, open: her message shows, and she is still told nothing.
  await requests.locator(`[data-handle="${alice.account.handle}"]`).getByRole("link").click();
  await expect(message(bob.page, hello)).toHaveAttribute("data-direction", "incoming", { timeout: 20_000 });
  const bar = bob.page.getByTestId("request-bar");
  await expect(bar).toContainText(`(@${alice.account.handle}) wants to message you. They won’t know you’ve seen it until you accept.`);
  await expect(composer(bob.page)).toHaveCount(0);
  await expectAccessible(bob.page);
  await expect(message(alice.page, hello)).toHaveAttribute("data-state", "sent");
  // Bob's browser has stored it (and marked it read) a while ago: still no receipt of any kind.
  await bob.page.waitForTimeout(1_500);
  await expect(message(alice.page, hello)).toHaveAttribute("data-state", "sent");

  // Accepted by keyboard: the held receipt goes out, and the conversation is an ordinary one.
  await bar.getByRole("button", { name: "Accept", exact: true }).focus();
  await bob.page.keyboard.press("Enter");
  await expect(message(alice.page, hello)).toHaveAttribute("data-state", "delivered", { timeout: 20_000 });
  await expect(bar).toHaveCount(0);
  const reply = privateText("hi alice, welcome");
  await sendMessage(bob.page, reply);
  await expect(message(alice.page, reply)).toHaveAttribute("data-direction", "incoming", { timeout: 20_000 });

  // Mallory's request, blocked (asked first): it is gone, and nothing of hers comes again.
  await bob.page.goto("/chat/requests");
  await expect(requests.getByTestId("conversation")).toHaveCount(1);
  await requests.locator(`[data-handle="${mallory.account.handle}"]`).getByRole("link").click();
  await expect(message(bob.page, spam)).toBeVisible({ timeout: 20_000 });
  await bob.page.getByTestId("request-bar").getByRole("button", { name: "Block", exact: true }).click();
  const confirm = bob.page.getByRole("dialog");
  await expect(confirm).toContainText(`Block @${mallory.account.handle}?`);
  await confirm.getByRole("button", { name: `Block @${mallory.account.handle}` }).click();
  await expect(bob.page).toHaveURL(/\/chat\/requests$/);
  await expect(bob.page.getByTestId("requests-empty")).toBeVisible();

  const again = privateText("mallory tries again");
  await composer(mallory.page).fill(again);
  await composer(mallory.page).press("Enter");
  // Refused by the server as any message to someone who blocked her; never "delivered", never shown to Bob.
  await expect(message(mallory.page, again)).toHaveAttribute("data-state", "failed", { timeout: 20_000 });
  await expect(message(mallory.page, spam)).toHaveAttribute("data-state", "sent");
  await bob.page.goto("/chat");
  await expect(bob.page.getByTestId("conversation")).toHaveCount(1);
  await expect(bob.page.getByTestId("requests-entry")).toHaveCount(0);

  await leave(alice);
  await leave(bob);
  await leave(mallory);
});
