// The installed app without a network, and its updates: the service worker controls /chat; with
// an offline passphrase set in Messages settings, an offline reload asks for it (a wrong one is
// refused) and then shows the conversations and their history from the device's sealed store;
// further offline page loads do not ask again while the service worker runs (it holds the opened
// secret in memory), and do once the browser has stopped it; a
// message written offline reaches the other person exactly once after reconnecting; without a
// passphrase an offline start says a connection is needed; and a new version waits for the
// person's consent. Offline means both `setOffline` and every request of the
// browser context aborted: `setOffline` alone does not always cut a service worker's own fetches.
import type { BrowserContext, Page } from "@playwright/test";
import { leave, signUpPerson } from "../fixtures/people";
import { expect, expectAccessible, logOut, test } from "../fixtures/test";
import { aliceAndBobWhoFollowsHer, composer, expectChatReady, message, openConversation, privateText, sendMessage, setUpMessages } from "./chat";

async function goOffline(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
  await context.route("**/*", (route) => route.abort("internetdisconnected"));
}

async function goOnline(context: BrowserContext): Promise<void> {
  await context.unrouteAll({ behavior: "ignoreErrors" });
  await context.setOffline(false);
}

/** Waits until the chat's service worker controls the page, and returns its script's address. */
async function controllingWorker(page: Page): Promise<string> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  return page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);
}

test("opened offline with the offline passphrase, the app shows conversations and history, and a message written offline arrives once after reconnecting", async ({
  browser,
  baseURL,
}) => {
  // Two browsers, each loading the crypto core and making keys, and Argon2id: slow on 2 busy cores.
  test.setTimeout(180_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);
  expect(new URL(await controllingWorker(alice.page)).pathname).toBe("/chat/sw.js");

  const hello = privateText("offline hello");
  const reply = privateText("offline reply");
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, hello);
  await openConversation(bob.page, alice.account.handle);
  await sendMessage(bob.page, reply);
  await expect(message(alice.page, reply)).toBeVisible({ timeout: 20_000 });

  // Off by default; Alice sets an offline passphrase (twice) for this device.
  const passphrase = privateText("lantern ferry dusk");
  await alice.page.goto("/chat/settings");
  const section = alice.page.getByTestId("offline-passphrase");
  await expect(section.getByTestId("offline-passphrase-state")).toHaveText(/^Off:/);
  await section.getByLabel("Offline passphrase", { exact: true }).fill(passphrase);
  await expect(section.getByTestId("offline-passphrase-strength")).toHaveAttribute("data-strength", "strong");
  await section.getByLabel("Repeat the offline passphrase").fill(passphrase);
  await section.getByRole("button", { name: "Set offline passphrase" }).click();
  await expect(section.getByRole("status")).toHaveText("Offline passphrase saved.", { timeout: 30_000 });
  await expect(section.getByTestId("offline-passphrase-state")).toHaveText(/^On:/);
  await expectAccessible(alice.page);

  // Once online under the worker, the conversation page, the list and every file they load are in its caches.
  await openConversation(alice.page, bob.account.handle);
  await alice.page.goto("/chat");
  await expectChatReady(alice.page);

  await goOffline(alice.context);
  await alice.page.reload();
  const unlock = alice.page.getByTestId("offline-unlock");
  const field = unlock.getByLabel("Offline passphrase");
  await expect(unlock).toContainText("You’re offline. Enter your offline passphrase to open your messages.", { timeout: 20_000 });
  await expectAccessible(alice.page);
  await expect(field).toBeFocused();
  await field.fill(`${passphrase}?`);
  await field.press("Enter");
  await expect(unlock.getByText("That passphrase doesn’t open your messages on this device.")).toBeVisible({ timeout: 30_000 });
  await expect(field).toBeFocused();
  await unlock.getByLabel("Show passphrase").check();
  await expect(field).toHaveAttribute("type", "text");
  await field.fill(passphrase);
  await field.press("Enter");
  const conversation = alice.page.getByTestId("conversation").filter({ hasText: bob.account.handle });
  await expect(conversation).toContainText(reply, { timeout: 30_000 });
  await expect(alice.page.getByTestId("connection-banner")).toHaveText(/Offline/, { timeout: 20_000 });
  await expectAccessible(alice.page);

  // Opening a conversation offline is a page load (Next loads a page afresh when it cannot fetch its
  // data), and so is a reload: the service worker holds the opened secret, so neither asks again.
  await alice.page.goto(`/chat/@${bob.account.handle}`);
  await expect(message(alice.page, reply)).toHaveAttribute("data-direction", "incoming", { timeout: 30_000 });
  await expect(unlock).toHaveCount(0);
  await alice.page.reload();
  await expect(message(alice.page, hello)).toHaveAttribute("data-direction", "outgoing", { timeout: 30_000 });
  await expect(unlock).toHaveCount(0);
  await expect(alice.page.getByTestId("conversation-view")).toBeVisible();
  await expect(alice.page.getByTestId("connection-banner")).toHaveText(/Offline/, { timeout: 20_000 });

  const written = privateText("written offline");
  await composer(alice.page).fill(written);
  await composer(alice.page).press("Enter");
  await expect(message(alice.page, written)).toHaveAttribute("data-state", "sending");
  await expect(message(alice.page, written).getByTestId("message-waiting-network")).toHaveText(
    "Waiting for a connection: it goes out when you’re back online.",
  );
  await expect(message(bob.page, written)).toHaveCount(0);

  await goOnline(alice.context);
  await expect(message(alice.page, written)).toHaveAttribute("data-state", "delivered", { timeout: 30_000 });
  await expect(message(alice.page, written).getByTestId("message-waiting-network")).toHaveCount(0);
  await expect(message(bob.page, written)).toHaveCount(1);
  // A reload starts Bob's stream again from what the server still holds: still once.
  await bob.page.reload();
  await expect(bob.page.getByTestId("conversation-view")).toBeVisible({ timeout: 20_000 });
  await expect(message(bob.page, written)).toHaveCount(1);

  // The browser stops the worker once every Messages page is closed (here it is stopped at once), and
  // the secret goes with it: the next offline start asks again.
  await goOffline(alice.context);
  const devtools = await alice.context.newCDPSession(alice.page);
  await devtools.send("ServiceWorker.enable");
  await devtools.send("ServiceWorker.stopAllWorkers");
  await devtools.detach();
  await alice.page.reload();
  await expect(unlock).toContainText("You’re offline. Enter your offline passphrase to open your messages.", { timeout: 20_000 });
  await field.fill(passphrase);
  await field.press("Enter");
  await expect(message(alice.page, written)).toHaveAttribute("data-state", "delivered", { timeout: 30_000 });
  await goOnline(alice.context);

  // Bob set no offline passphrase: offline, Messages says it needs a connection, and where to set one.
  await controllingWorker(bob.page);
  await bob.page.goto("/chat");
  await expectChatReady(bob.page);
  await goOffline(bob.context);
  await bob.page.reload();
  await expect(bob.page.getByTestId("chat-failed")).toContainText("Messages needs a connection to open on this device", { timeout: 20_000 });
  await expect(bob.page.getByTestId("chat-failed")).toContainText("Open without a connection");
  await goOnline(bob.context);

  await leave(alice);
  await leave(bob);
});

test("a new version waits for consent, and log-out clears the worker's caches", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const person = await signUpPerson(browser, baseURL);
  const { page } = person;
  await setUpMessages(page);
  const current = await controllingWorker(page);
  await page.evaluate(() => ((window as unknown as { notReloaded?: boolean }).notReloaded = true));

  // A deploy, as the browser sees it: a different worker script for the app's scope.
  await page.evaluate(() => navigator.serviceWorker.register("/chat/sw.js?next-version", { scope: "/chat" }));
  const banner = page.getByTestId("update-banner");
  await expect(banner).toContainText("A new version of Messages is ready.", { timeout: 20_000 });
  await expectAccessible(page);
  // Nothing reloads or takes over by itself.
  await page.waitForTimeout(1_000);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  expect(await controllingWorker(page)).toBe(current);

  await Promise.all([page.waitForEvent("load"), banner.getByRole("button", { name: "Update now" }).click()]);
  await expectChatReady(page);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBeUndefined();
  expect(await controllingWorker(page)).toContain("next-version");

  expect(await page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith("hearth-chat-")).length)).toBeGreaterThan(0);
  await page.goto("/");
  await logOut(page);
  expect(await page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith("hearth-chat-")))).toEqual([]);
  await leave(person);
});
