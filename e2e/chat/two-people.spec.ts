import type { MessageHistoryExport } from "../../app/_chat/export/message-history";
import { readZip } from "../../server/testing/export-zip";
import { leave } from "../fixtures/people";
import { expect, expectAccessible, test } from "../fixtures/test";
import { aliceAndBobWhoFollowsHer, message, openConversation, privateText, readSafetyNumber, sendMessage } from "./chat";

test("two people write to each other, see delivery, and read the same safety number", async ({ browser, baseURL }) => {
  // Several browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(150_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);

  const hello = privateText("hello from alice");
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, hello);

  // Bob finds it in his list, unread, and opens it.
  await bob.page.goto("/chat");
  const conversation = bob.page.getByTestId("conversation").filter({ hasText: alice.account.handle });
  await expect(conversation).toContainText(hello);
  await expect(conversation).toHaveAttribute("data-unread", "1");
  await conversation.getByRole("link").first().click();
  await expect(message(bob.page, hello)).toHaveAttribute("data-direction", "incoming");
  await expect(bob.page.getByTestId("conversation-view")).toHaveAttribute("data-handle", alice.account.handle);

  // Alice's copy goes from sent to delivered once Bob's browser has stored it.
  await expect(message(alice.page, hello)).toHaveAttribute("data-state", "delivered");

  const reply = privateText("reply from bob");
  await sendMessage(bob.page, reply);
  await expect(message(alice.page, reply)).toHaveAttribute("data-direction", "incoming");
  await expectAccessible(alice.page);

  const seenByAlice = await readSafetyNumber(alice.page, bob.account.handle);
  const seenByBob = await readSafetyNumber(bob.page, alice.account.handle);
  expect(seenByAlice).toMatch(/^\d{60}$/);
  expect(seenByBob).toBe(seenByAlice);
  await expectAccessible(alice.page);

  await leave(alice);
  await leave(bob);
});

test("a message sent while the other person is away arrives when they return, exactly once", async ({ browser, baseURL }) => {
  // Several browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(150_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);
  await bob.page.close();

  // Alice is offline too when she writes: the outbox keeps it and sends it when she is back.
  await openConversation(alice.page, bob.account.handle);
  await alice.context.setOffline(true);
  const whileAway = privateText("while you were away");
  await sendMessage(alice.page, whileAway);
  await expect(message(alice.page, whileAway)).toHaveAttribute("data-state", "sending");
  await alice.context.setOffline(false);
  await expect(message(alice.page, whileAway)).toHaveAttribute("data-state", "sent", { timeout: 30_000 });

  const bobPage = await bob.context.newPage();
  await openConversation(bobPage, alice.account.handle);
  await expect(message(bobPage, whileAway)).toHaveCount(1);
  await expect(message(alice.page, whileAway)).toHaveAttribute("data-state", "delivered");
  // Reloading (the stream starts again from the server's pending envelopes) shows it once still.
  await bobPage.reload();
  await expect(bobPage.getByTestId("conversation-view")).toBeVisible({ timeout: 20_000 });
  await expect(message(bobPage, whileAway)).toHaveCount(1);
  await expect(bobPage.getByTestId("message")).toHaveCount(1);

  // Bob's data export gets his message history added by his browser; the server never had it.
  await bobPage.goto("/settings/privacy#export");
  const section = bobPage.getByRole("region", { name: "Download your data" });
  await section.getByRole("button", { name: "Prepare a copy of my data" }).click();
  await expect(section.getByRole("status").filter({ hasText: "Your copy is ready." })).toBeVisible({ timeout: 20_000 });
  const [download] = await Promise.all([bobPage.waitForEvent("download"), section.getByRole("button", { name: "Download with my message history" }).click()]);
  const files = await readZip(await download.path());
  expect(files.has("profile.json")).toBe(true);
  const history = JSON.parse(files.get("messages/history.json")!.toString()) as MessageHistoryExport;
  expect(history.conversations).toHaveLength(1);
  expect(history.conversations[0]!.with?.handle).toBe(alice.account.handle);
  expect(history.conversations[0]!.messages).toMatchObject([{ direction: "received", text: whileAway }]);
  await expect(section.getByText("Saved, with 1 message.")).toBeVisible();

  await leave(alice);
  await leave(bob);
});
