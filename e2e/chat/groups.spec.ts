// Groups, end to end in three browsers: a group made from people followed, talk both ways with
// delivery counted per member, and an admin removing a member, who then reads nothing sent after
// (on screen and in the search over the messages their browser holds). The group's name and every
// message are recorded as secrets: the run's teardown proves the server never saw them.
import { follow, leave, signUpPerson } from "../fixtures/people";
import { expect, expectAccessible, test } from "../fixtures/test";
import { composer, makeGroup, message, openGroupFromList, privateText, sendMessage, setUpMessages } from "./chat";

test("three people make a group, talk both ways, and a removed member reads nothing after", async ({ browser, baseURL }) => {
  // Three browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(240_000);
  const [alice, bob, carol] = await Promise.all([signUpPerson(browser, baseURL), signUpPerson(browser, baseURL), signUpPerson(browser, baseURL)]);
  await Promise.all([setUpMessages(alice.page), setUpMessages(bob.page), setUpMessages(carol.page)]);
  await follow(alice, bob.account.handle);
  await follow(alice, carol.account.handle);
  // They follow Alice back, so the group is no message request for them (e2e/chat/requests.spec.ts has those).
  await follow(bob, alice.account.handle);
  await follow(carol, alice.account.handle);

  const name = privateText("group");
  const groupId = await makeGroup(alice, name, [bob, carol]);
  const hello = privateText("hello group");
  await sendMessage(alice.page, hello);
  await expectAccessible(alice.page);

  // Bob and Carol find the group in their lists, read Alice's message, and answer.
  await openGroupFromList(bob.page, name);
  await expect(message(bob.page, hello)).toHaveAttribute("data-direction", "incoming");
  await expect(bob.page.getByTestId("message-sender").first()).toContainText(alice.account.handle);
  const fromBob = privateText("bob answers");
  await sendMessage(bob.page, fromBob);
  await openGroupFromList(carol.page, name);
  await expect(message(carol.page, hello)).toBeVisible();
  await expect(message(carol.page, fromBob)).toHaveAttribute("data-direction", "incoming");
  const fromCarol = privateText("carol answers");
  await sendMessage(carol.page, fromCarol);
  await expect(message(alice.page, fromBob)).toBeVisible();
  await expect(message(alice.page, fromCarol)).toBeVisible();
  await expect(message(bob.page, fromCarol)).toBeVisible();
  // Both members read Alice's message (read receipts are on by default, and "Read by 2 of 2" takes the
  // place of "Delivered to 2 of 2" once they come; the delivery count itself is proved in groups.test.ts).
  const readState = message(alice.page, hello).getByTestId("read-state");
  await expect(readState).toHaveAttribute("data-count", "2");
  await expect(readState).toHaveAttribute("data-total", "2");

  // Alice (the admin) removes Carol.
  await alice.page.getByTestId("group-details-link").click();
  const carolRow = alice.page.locator(`[data-testid="group-member"][data-handle="${carol.account.handle}"]`);
  await carolRow.getByTestId("remove-member").click();
  await alice.page.getByRole("button", { name: "Remove from group" }).click();
  await expect(carolRow).toHaveCount(0);
  await expectAccessible(alice.page);

  // Carol's browser learns it: the banner, and no composer.
  await expect(carol.page.getByTestId("removed-banner")).toBeVisible({ timeout: 20_000 });
  await expect(composer(carol.page)).toBeDisabled();
  await expect(carol.page.getByTestId("composer-closed")).toBeVisible();

  // Bob's browser learns it too, then he writes; Alice reads it, Carol does not.
  await expect(bob.page.getByTestId("notice").filter({ hasText: carol.account.handle })).toBeVisible({ timeout: 20_000 });
  // Alice's page is back in the group, its chat running, before Bob writes (the message then shows live).
  await alice.page.goto(`/chat/group/${groupId}`);
  await expect(message(alice.page, fromCarol)).toBeVisible({ timeout: 20_000 });
  const afterRemoval = privateText("after carol left");
  await sendMessage(bob.page, afterRemoval);
  await expect(message(alice.page, afterRemoval)).toBeVisible({ timeout: 20_000 });
  await carol.page.reload();
  await expect(carol.page.getByTestId("group-conversation")).toHaveAttribute("data-membership", "removed");
  await expect(message(carol.page, fromCarol)).toBeVisible();
  await expect(message(carol.page, afterRemoval)).toHaveCount(0);
  // Nor is it anywhere in what Carol's browser holds: its own search over every stored message finds nothing.
  await carol.page.goto("/chat");
  const search = carol.page.getByTestId("message-search");
  await search.fill(afterRemoval);
  await expect(carol.page.getByText("No messages match")).toBeVisible();
  await search.fill(fromBob);
  await expect(carol.page.getByTestId("search-hit")).toHaveCount(1);

  for (const person of [alice, bob, carol]) await leave(person);
});
