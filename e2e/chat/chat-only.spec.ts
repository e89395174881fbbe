// Hearth Chat on its own (HEARTH_APP=chat): a second server on the same database, started for
// this journey. The social site is not there (its pages, media and procedures answer 404, and /
// leads to Messages); two new people sign up and chat. Nobody follows anyone in a chat-only
// deployment, so a first message arrives as a request.
import { openBrowser, leave } from "../fixtures/people";
import { startChatOnlyServer, type ChatOnlyServer } from "../fixtures/chat-only-server";
import { expect, newAccount, signUp, test } from "../fixtures/test";
import { composer, message, privateText, sendMessage, setUpMessages, openConversation } from "./chat";

let server: ChatOnlyServer;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startChatOnlyServer();
});

test.afterAll(async () => {
  await server?.stop();
});

test("the social site is not there: its pages, media and procedures answer 404, and / leads to Messages", async ({ request }) => {
  for (const path of [
    "/search",
    "/notifications",
    "/bookmarks",
    "/hashtag/hearth",
    "/@e2e_nobody",
    "/post/0190a6f0-0000-7000-8000-000000000000",
    "/sitemap.xml",
  ]) {
    expect((await request.get(server.baseURL + path)).status(), path).toBe(404);
  }
  expect((await request.get(`${server.baseURL}/api/media/0190a6f0-0000-7000-8000-000000000000/preview`)).status()).toBe(404);
  const timeline = await request.get(`${server.baseURL}/api/trpc/social.timeline.home?input=${encodeURIComponent(JSON.stringify({}))}`);
  expect(timeline.status()).toBe(404);
  const home = await request.get(`${server.baseURL}/`, { maxRedirects: 0 });
  expect(home.status()).toBe(307);
  expect(new URL(home.headers().location!, server.baseURL).pathname).toBe("/chat");
});

test("two new people sign up and chat, with their account's pages in Messages' own frame", async ({ browser }) => {
  // Two browsers, each loading the crypto core and making keys: slow on 2 busy cores.
  test.setTimeout(150_000);
  const alice = await openBrowser(browser, server.baseURL, newAccount());
  const bob = await openBrowser(browser, server.baseURL, newAccount());
  await signUp(alice.page, alice.account);
  // The choices after sign-up sit in Messages' frame, with no way to a social site that is not there.
  await expect(alice.page.getByRole("navigation", { name: "Messages" })).toBeVisible();
  await expect(alice.page.getByTestId("back-to-hearth")).toHaveCount(0);
  await signUp(bob.page, bob.account);
  await setUpMessages(alice.page);
  await setUpMessages(bob.page);

  const hello = privateText("hello from hearth chat alone");
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, hello);

  // Bob finds it among his requests and accepts it.
  await bob.page.goto("/");
  await expect(bob.page).toHaveURL(/\/chat$/);
  await bob.page.getByTestId("chat-nav-requests").click();
  await bob.page.getByTestId("request-list").locator(`[data-handle="${alice.account.handle}"]`).getByRole("link").click();
  await expect(message(bob.page, hello)).toHaveAttribute("data-direction", "incoming", { timeout: 20_000 });
  await bob.page.getByTestId("request-bar").getByRole("button", { name: "Accept", exact: true }).click();
  await expect(composer(bob.page)).toBeVisible();
  const reply = privateText("hi alice, no timeline needed");
  await sendMessage(bob.page, reply);
  await expect(message(alice.page, reply)).toHaveAttribute("data-direction", "incoming", { timeout: 20_000 });
  await expect(message(alice.page, hello)).toHaveAttribute("data-state", /delivered|read/);

  // The account and privacy dashboard still work, inside Messages' frame.
  await bob.page.getByRole("link", { name: "Account and privacy" }).click();
  await expect(bob.page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await bob.page.goto("/settings/privacy");
  await expect(bob.page.getByRole("heading", { level: 2, name: "Your choices", exact: true })).toBeVisible();

  await leave(alice);
  await leave(bob);
});
