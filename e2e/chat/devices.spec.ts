import { readFile } from "node:fs/promises";
import { follow, leave, logInElsewhere, signUpPerson } from "../fixtures/people";
import { expect, test } from "../fixtures/test";
import { mustStayPrivate } from "../fixtures/secrets-ledger";
import { aliceAndBobWhoFollowsHer, expectChatReady, message, openConversation, privateText, readSafetyNumber, sendMessage, setUpMessages } from "./chat";

test("a second device linked with a code receives the history, then new messages from both sides", async ({ browser, baseURL }) => {
  // Several browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(150_000);
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  // Bob follows Alice, so her first message is no message request (e2e/chat/requests.spec.ts has those).
  await follow(bob, alice.account.handle);
  // Alice follows Bob, so his first message is no message request (e2e/chat/requests.spec.ts has those).
  await follow(alice, bob.account.handle);
  await setUpMessages(alice.page);
  await setUpMessages(bob.page);

  // Before the link, Alice and Bob talk: this is the history her new device should receive.
  const earlier = [privateText("history from alice"), privateText("history from bob"), privateText("history again from alice")];
  await openConversation(alice.page, bob.account.handle);
  await openConversation(bob.page, alice.account.handle);
  for (const [index, text] of earlier.entries()) {
    const [from, to] = index % 2 === 0 ? [alice, bob] : [bob, alice];
    await sendMessage(from.page, text);
    await expect(message(to.page, text)).toHaveAttribute("data-direction", "incoming");
  }

  // The existing device shows a code; the new one enters it; the existing one approves.
  const laptop = await logInElsewhere(browser, baseURL, alice.account);
  await laptop.page.goto("/chat");
  await expect(laptop.page.getByRole("heading", { name: "Link to your other device" })).toBeVisible({ timeout: 20_000 });
  await alice.page.goto("/chat/devices");
  await alice.page.getByRole("button", { name: "Link a new device" }).click();
  const code = mustStayPrivate((await alice.page.getByTestId("link-code").innerText()).replace(/\s/g, ""));
  await laptop.page.getByTestId("link-code-input").fill(code.toLowerCase());
  await laptop.page.getByRole("button", { name: "Link to your other device" }).click();
  await expect(alice.page.getByTestId("link-device-name")).toHaveText(/Chrom/);
  // She chooses to send her history (offered, and on by default) and watches it go: the progress
  // step is recorded as it appears, since a short history passes through it in a moment.
  const sendHistory = alice.page.getByRole("checkbox", { name: "Also send my message history to this device" });
  await expect(sendHistory).toBeChecked();
  await alice.page.evaluate(() => {
    const seen = window as unknown as { historyProgressShown?: boolean };
    const look = () => {
      if (document.querySelector('[data-testid="link-offer"][data-state="sending-history"] progress')) seen.historyProgressShown = true;
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await alice.page.getByRole("button", { name: "Approve" }).click();
  await expect(alice.page.getByRole("heading", { name: "Device linked" })).toBeVisible({ timeout: 30_000 });
  await expect(alice.page.getByTestId("link-history-sent")).toHaveText("Your message history was sent to it.");
  expect(await alice.page.evaluate(() => (window as unknown as { historyProgressShown?: boolean }).historyProgressShown)).toBe(true);
  await expectChatReady(laptop.page);
  await alice.page.reload();
  await expect(alice.page.getByTestId("device")).toHaveCount(2);

  // The laptop shows the earlier conversation, both sides, in order, as Alice's phone does.
  await openConversation(laptop.page, bob.account.handle);
  await expect(laptop.page.getByTestId("message")).toHaveCount(earlier.length, { timeout: 30_000 });
  await expect(laptop.page.getByTestId("message")).toContainText(earlier);
  for (const [index, text] of earlier.entries())
    await expect(message(laptop.page, text)).toHaveAttribute("data-direction", index % 2 === 0 ? "outgoing" : "incoming");

  // Bob's message reaches both of Alice's devices.
  const toBoth = privateText("to both of your devices");
  await openConversation(bob.page, alice.account.handle);
  await sendMessage(bob.page, toBoth);
  await openConversation(laptop.page, bob.account.handle);
  await openConversation(alice.page, bob.account.handle);
  await expect(message(laptop.page, toBoth)).toHaveAttribute("data-direction", "incoming");
  await expect(message(alice.page, toBoth)).toHaveAttribute("data-direction", "incoming");

  // What Alice sends from the laptop reaches Bob, and shows on her phone as sent by her.
  const fromLaptop = privateText("sent from the laptop");
  await sendMessage(laptop.page, fromLaptop);
  await expect(message(bob.page, fromLaptop)).toHaveAttribute("data-direction", "incoming");
  await expect(message(alice.page, fromLaptop)).toHaveAttribute("data-direction", "outgoing");

  // One safety number per pair of people: linking changed nothing for Bob.
  expect(await readSafetyNumber(laptop.page, bob.account.handle)).toBe(await readSafetyNumber(bob.page, alice.account.handle));

  await leave(laptop);
  await leave(alice);
  await leave(bob);
});

test("a fresh browser restored with the recovery key has the history and keeps the identity", async ({ browser, baseURL }) => {
  // Three Argon2id runs at 256 MiB in WebAssembly (turn on, back up, restore): slow on 2 cores.
  test.setTimeout(180_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);

  await alice.page.goto("/chat/backup");
  await alice.page.getByRole("button", { name: "Turn on backup" }).click();
  const recoveryKey = mustStayPrivate((await alice.page.getByTestId("recovery-key").innerText({ timeout: 20_000 })).replace(/\D/g, ""));
  expect(recoveryKey).toMatch(/^\d{60}$/);
  await alice.page.getByLabel("I have saved my recovery key somewhere safe").check();
  await alice.page.getByRole("button", { name: "Done" }).click();

  const before = privateText("before the restore");
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, before);
  const answer = privateText("an answer to keep");
  await openConversation(bob.page, alice.account.handle);
  await sendMessage(bob.page, answer);
  await expect(message(alice.page, answer)).toBeVisible();
  await alice.page.goto("/chat/backup");
  await alice.page.getByRole("button", { name: "Back up now" }).click();
  await expect(alice.page.getByTestId("backup-status")).toHaveAttribute("data-running", "false", { timeout: 30_000 });
  await expect(alice.page.getByTestId("backup-status")).toContainText("Last backup");
  await leave(alice);

  // All of Alice's browsers are gone; a fresh one restores from the recovery key.
  const restored = await logInElsewhere(browser, baseURL, alice.account);
  await restored.page.goto("/chat");
  await restored.page.getByTestId("recovery-key-input").fill(recoveryKey.replace(/(\d{5})/g, "$1 "));
  await restored.page.getByRole("button", { name: "Restore from backup" }).click();
  await expectChatReady(restored.page);
  await openConversation(restored.page, bob.account.handle);
  await expect(message(restored.page, before)).toHaveAttribute("data-direction", "outgoing");
  await expect(message(restored.page, answer)).toHaveAttribute("data-direction", "incoming");
  const afterRestore = privateText("after the restore");
  await sendMessage(restored.page, afterRestore);
  await expect(message(bob.page, afterRestore)).toBeVisible();
  // The backup carried the account key: Bob sees no change.
  await expect(bob.page.getByTestId("identity-banner")).toHaveCount(0);

  await leave(restored);
  await leave(bob);
});

test("when someone starts over without their keys, the other side is warned and verification is reset, and the old browser is told and keeps its history", async ({
  browser,
  baseURL,
}) => {
  // Several browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(150_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);
  const first = privateText("before the reset");
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, first);
  await openConversation(bob.page, alice.account.handle);
  await expect(message(bob.page, first)).toBeVisible();
  await expect(bob.page.getByTestId("identity-banner")).toHaveCount(0);

  // Bob verifies Alice; then Alice, on a new browser, starts over instead of linking. Before she
  // confirms, she is told which of her devices this cuts off.
  const safetyBefore = await readSafetyNumber(bob.page, alice.account.handle);
  await bob.page.getByTestId("verify-toggle").click();
  await expect(bob.page.getByTestId("verify-toggle")).toHaveText(/Clear verification/i);
  const reset = await logInElsewhere(browser, baseURL, alice.account);
  await reset.page.goto("/chat");
  await reset.page.getByRole("button", { name: "Set up messaging on this browser" }).click();
  const confirmation = reset.page.getByRole("dialog", { name: "Start a new identity?" });
  await expect(confirmation).toContainText("This device will stop sending and receiving messages");
  await expect(confirmation.getByTestId("cut-off-devices").getByRole("listitem")).toHaveText([/Chrom/]);
  await confirmation.getByRole("button", { name: "Start a new identity" }).click();
  await expectChatReady(reset.page);

  // Her old browser says what happened and still holds the history, which she can save.
  await alice.page.goto("/chat");
  const cutOff = alice.page.getByTestId("chat-cut-off");
  await expect(cutOff).toHaveAttribute("data-reason", "new-identity", { timeout: 30_000 });
  await expect(cutOff).toContainText("A new messaging identity was started on");
  const [download] = await Promise.all([alice.page.waitForEvent("download"), cutOff.getByRole("button", { name: "Download message history" }).click()]);
  const history = JSON.parse(await readFile((await download.path())!, "utf8")) as { conversations: { messages: { text: string; direction: string }[] }[] };
  expect(history.conversations.flatMap((c) => c.messages)).toContainEqual(expect.objectContaining({ text: first, direction: "sent" }));
  await expect(cutOff.getByRole("status")).toHaveText("Saved 1 message.");
  await cutOff.getByRole("button", { name: "Set up messages again" }).click();
  await alice.page.getByRole("dialog").getByRole("button", { name: "Delete and set up again" }).click();
  await expect(alice.page.getByTestId("chat-setup")).toBeVisible();
  await leave(alice);
  const afterReset = privateText("from my new phone");
  await openConversation(reset.page, bob.account.handle);
  await sendMessage(reset.page, afterReset);

  await openConversation(bob.page, alice.account.handle);
  await expect(message(bob.page, afterReset)).toHaveAttribute("data-direction", "incoming");
  await expect(bob.page.getByTestId("identity-banner")).toContainText("safety number changed");
  await expect(bob.page.locator("[data-testid=notice][data-kind=identity-changed]")).toBeVisible();
  const safetyAfter = await readSafetyNumber(bob.page, alice.account.handle);
  expect(safetyAfter).not.toBe(safetyBefore);
  expect(safetyAfter).toBe(await readSafetyNumber(reset.page, bob.account.handle));
  await expect(bob.page.getByTestId("verify-toggle")).toHaveText(/Mark as verified/i);

  await leave(reset);
  await leave(bob);
});
