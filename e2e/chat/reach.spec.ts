// Reaching people, end to end: a new person is written to before they ever open Messages; the
// sender picks them in "New message" by keyboard and sees the message wait; the recipient opens
// Messages from the sender's profile, with no set-up step, and lands in the conversation with it.
import { follow, leave, signUpPerson } from "../fixtures/people";

import { expect, expectAccessible, newAccount, test } from "../fixtures/test";
import { composer, message, openConversation, privateText, setUpMessages } from "./chat";

test("someone who has never opened Messages is written to, and gets it the first time they open it, with no set-up step", async ({ browser, baseURL }) => {
  // Two browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(150_000);
  const alice = await signUpPerson(browser, baseURL);
  // Messages start on every page of Hearth, so Bob's browser would make his keys on his first page.
  // Until he opens Messages, it cannot: the storage secret it needs is refused. He is then someone
  // who has signed up but never opened Hearth's messages anywhere.
  const keysRequest = "**/api/trpc/*chat.storage.secret*";
  const bob = await signUpPerson(browser, baseURL, newAccount(), { beforeSignUp: (person) => person.context.route(keysRequest, (route) => route.abort()) });
  await follow(alice, bob.account.handle);
  await setUpMessages(alice.page);

  // Alice picks Bob in "New message" by keyboard, from a few letters of his handle.
  await alice.page.getByRole("button", { name: "New message" }).first().click();
  const to = alice.page.getByRole("combobox", { name: "Send to" });
  await expect(to).toBeFocused();
  await to.pressSequentially(bob.account.handle.slice(0, 5));
  const suggestions = alice.page.getByRole("listbox", { name: "People you may write to" });
  await expect(suggestions.getByRole("option")).toHaveCount(1);
  await expect(suggestions.getByRole("option")).toContainText(`@${bob.account.handle}`);
  await expectAccessible(alice.page);
  await to.press("ArrowDown");
  await expect(suggestions.getByRole("option", { selected: true })).toContainText(`@${bob.account.handle}`);
  await to.press("Escape");
  await expect(suggestions).toBeHidden();
  await expect(alice.page.getByRole("dialog")).toBeVisible();
  await to.press("ArrowDown");
  await to.press("Enter");
  await expect(alice.page).toHaveURL(new RegExp(`/chat/@${bob.account.handle}$`));
  await expect(alice.page.getByTestId("conversation-view")).toBeVisible({ timeout: 20_000 });

  // Bob has no device yet: the message waits, said so, and never shows as failed.
  const hello = privateText("before bob ever opened messages");
  await composer(alice.page).fill(hello);
  await composer(alice.page).press("Enter");
  await expect(message(alice.page, hello)).toHaveAttribute("data-state", "waiting", { timeout: 20_000 });
  await expect(message(alice.page, hello)).toContainText(/Will be delivered when .+ opens Messages\./);

  // Bob opens Messages from Alice's profile: his keys are made with no set-up step in the way, and
  // he lands in the conversation with her message.
  await bob.context.unroute(keysRequest);
  await bob.page.goto(`/@${alice.account.handle}`);
  await bob.page.getByRole("main").getByRole("link", { name: "Message", exact: true }).click();
  await expect(bob.page.getByTestId("conversation-view")).toHaveAttribute("data-handle", alice.account.handle, { timeout: 45_000 });
  await expect(bob.page.getByTestId("chat-setup")).toHaveCount(0);
  await expect(message(bob.page, hello)).toHaveAttribute("data-direction", "incoming", { timeout: 20_000 });
  // Bob does not follow Alice: her first message is a message request, and she learns nothing
  // until he accepts it (e2e/chat/requests.spec.ts).
  await expect(bob.page.getByTestId("request-bar")).toBeVisible();
  await bob.page.getByRole("button", { name: "Accept", exact: true }).click();
  await expect(bob.page.getByTestId("request-bar")).toHaveCount(0);

  // Alice's outbox looks at Bob's devices again when she opens the conversation: delivered, once.
  await openConversation(alice.page, bob.account.handle);
  await expect(message(alice.page, hello)).toHaveAttribute("data-state", "delivered", { timeout: 20_000 });
  await expect(message(alice.page, hello)).not.toContainText("Will be delivered");
  await expect(message(bob.page, hello)).toHaveCount(1);

  await leave(alice);
  await leave(bob);
});
