// Hearth Messages as an installed app: Chromium finds nothing in the way of installing /chat, and
// the manifest carries what the install dialog shows; notifications while the app is closed are
// off until the person opts in, and a message then wakes the device through the push service with
// a payload encrypted to it and free of content. Headless Chromium refuses PushManager.subscribe
// outright (and a headed one would need Google's FCM, unreachable here), so the page's opt-in is
// checked up to the browser's refusal, and the server's path with a subscription made as a
// browser makes one (a P-256 key pair and a secret, made in the page) pointing at the FAKE push
// service (scripts/push/fake-push-service.ts), through the same procedure the page uses. The
// service worker's side gets its wake-ups from Chromium's DevTools protocol, as a push service
// would deliver them; a click on a notification cannot be driven there, so
// app/_chat/pwa/service-worker.test.ts runs the worker's click handler in a fake scope.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, fakePushOrigin } from "../../playwright.config";
import { toolEnv } from "../../scripts/tool-env";
import { pushesReceivedAt, fakePushEndpoint } from "../../scripts/push/fake-push-service";
import { queryDatabase } from "../fixtures/database";
import { signUpPerson, TINY_PNG } from "../fixtures/people";
import { expect, newAccount, signUp, test } from "../fixtures/test";
import { aliceAndBobWhoFollowsHer, composer, message, openConversation, privateText, sendMessage, setUpMessages } from "./chat";

/** Calls one tRPC procedure from the page, as the app's own client does (plain JSON, same origin). */
async function callFromPage<T>(page: Page, path: string, input?: unknown): Promise<T> {
  return page.evaluate(
    async ({ path, input }) => {
      const query = input === undefined;
      const response = await fetch(
        `/api/trpc/${path}`,
        query ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(input) },
      );
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return ((await response.json()) as { result: { data: unknown } }).result.data;
    },
    { path, input },
  ) as Promise<T>;
}

test("Messages is installable from /chat, with icons, maskable icons, screenshots, both colour schemes and a share target", async ({ baseURL }) => {
  test.setTimeout(90_000);
  // Chromium never offers to install from an incognito profile, which every new context is: a profile on disk.
  const profile = await mkdtemp(path.join(tmpdir(), "hearth-install-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: toolEnv().CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    baseURL,
    extraHTTPHeaders: { "x-forwarded-for": `2001:db8:14::${randomBytes(2).toString("hex")}` },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await signUp(page, newAccount());
    await setUpMessages(page);
    const cdp = await context.newCDPSession(page);
    await expect.poll(async () => (await cdp.send("Page.getInstallabilityErrors")).installabilityErrors, { timeout: 20_000 }).toEqual([]);
    await expectManifest(page);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

/** The manifest's fields for the install dialog, and its images served as PNG. */
async function expectManifest(page: Page) {
  const manifest = (await (await page.request.get("/chat/manifest.webmanifest")).json()) as Record<string, unknown> & {
    icons: { src: string; sizes: string; purpose: string }[];
    screenshots: { src: string; form_factor: string }[];
    share_target: { action: string; method: string; enctype: string };
  };
  expect(manifest).toMatchObject({ id: "/chat", scope: "/chat", start_url: "/chat", display: "standalone", theme_color: "#fbf7f2" });
  expect(manifest.user_preferences).toEqual({ color_scheme_dark: { background_color: "#17130f", theme_color: "#17130f" } });
  for (const [size, purpose] of [
    ["192x192", "any"],
    ["512x512", "any"],
    ["192x192", "maskable"],
    ["512x512", "maskable"],
  ]) {
    const icon = manifest.icons.find((i) => i.sizes === size && i.purpose === purpose);
    expect(icon, `${purpose} icon ${size}`).toBeTruthy();
    const response = await page.request.get(icon!.src);
    expect(response.headers()["content-type"]).toBe("image/png");
  }
  expect(manifest.screenshots.map((s) => s.form_factor).sort()).toEqual(["narrow", "wide"]);
  expect(manifest.share_target).toMatchObject({ action: "/chat/share", method: "POST", enctype: "multipart/form-data" });
}

test("push: off until the person opts in, and where the browser will not subscribe the page says so", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const bob = await signUpPerson(browser, baseURL);
  await bob.page.context().grantPermissions(["notifications"]);
  await setUpMessages(bob.page);
  await bob.page.goto("/chat/notifications");
  const card = bob.page.getByTestId("push-settings");
  await expect(card.getByRole("heading", { name: "When Hearth is closed" })).toBeVisible();
  await expect(card).toContainText("sees that and when a notification is sent, and this device’s push address");
  await expect(card.getByRole("status")).toHaveText("Off for this device.");
  const rows = () =>
    queryDatabase<{ n: number }>(
      "SELECT count(*)::int AS n FROM chat_push_subscriptions s JOIN chat_devices d ON d.id = s.device_row_id JOIN users u ON u.id = d.user_id WHERE u.handle = $1",
      [bob.account.handle],
    );
  expect((await rows())[0]!.n).toBe(0);

  await card.getByRole("button", { name: "Notify me when Hearth is closed" }).click();
  // Headless Chromium refuses PushManager.subscribe ("Registration failed - permission denied"), notifications allowed or not.
  await expect(card.getByRole("alert")).toContainText("this browser refused to subscribe to its push service");
  await expect(card.getByRole("status")).toHaveText("Off for this device.");
  expect((await rows())[0]!.n).toBe(0);
});

test("push: a message to a closed app wakes the device through the fake push service, encrypted and without content; withdrawing deletes it", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);

  // Bob's browser subscribes as a browser would: its own P-256 key pair and secret, its push service's address.
  const endpoint = fakePushEndpoint(fakePushOrigin);
  const devices = await callFromPage<{ rowId: string; current?: boolean }[]>(bob.page, "chat.devices.list");
  const keys = await bob.page.evaluate(async () => {
    const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const b64 = (bytes: Uint8Array) =>
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    return { p256dh: b64(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey))), auth: b64(crypto.getRandomValues(new Uint8Array(16))) };
  });
  expect(devices).toHaveLength(1);
  await callFromPage(bob.page, "chat.push.subscribe", { deviceRowId: devices[0]!.rowId, endpoint, ...keys, locale: "en" });

  // Bob closes Hearth (Messages runs on every page of the site, so the tab goes); Alice writes.
  const context = bob.page.context();
  await bob.page.close();
  const hello = privateText("for bob while away");
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, hello);

  await expect.poll(async () => (await pushesReceivedAt(endpoint)).length, { timeout: 45_000 }).toBe(1);
  const [push] = await pushesReceivedAt(endpoint);
  expect(push!.headers["content-encoding"]).toBe("aes128gcm");
  const body = Buffer.from(push!.body, "base64");
  expect(body).toHaveLength(16 + 4 + 1 + 65 + 128 + 1 + 16);
  for (const secret of [hello, alice.account.handle]) expect(body.includes(Buffer.from(secret))).toBe(false);
  expect(JSON.stringify(push!.headers)).not.toContain(alice.account.handle);

  // The dashboard lists the push service like a purpose; "Don't allow" deletes the subscription.
  const dashboard = await context.newPage();
  await dashboard.goto("/settings/privacy");
  const purpose = dashboard.getByRole("region", { name: "Notifications through your browser’s push service" });
  await expect(purpose).toContainText("sees that a notification is sent and when");
  await purpose.getByRole("button", { name: "Don’t allow" }).click();
  await expect(purpose.getByRole("status")).toContainText("Off since");
  expect(await queryDatabase("SELECT 1 FROM chat_push_subscriptions WHERE device_row_id = $1", [devices[0]!.rowId])).toEqual([]);
});

test("push: a wake-up delivered to the service worker shows only “new message”, and nothing while Messages is in view", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const bob = await signUpPerson(browser, baseURL);
  const { page } = bob;
  await page.context().grantPermissions(["notifications"]);
  await setUpMessages(page);
  await page.evaluate(() => navigator.serviceWorker.ready);

  // Chromium's DevTools protocol delivers a push to a registered worker as its push service would
  // (headless Chromium refuses PushManager.subscribe); the payload is the server's wake-up, content-free.
  const cdp = await page.context().newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string }[] = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations: updated }) => registrations.push(...updated));
  await cdp.send("ServiceWorker.enable");
  await expect.poll(() => registrations.find((r) => r.scopeURL === `${baseURL}/chat`)?.registrationId, { timeout: 10_000 }).toBeTruthy();
  const registrationId = registrations.find((r) => r.scopeURL === `${baseURL}/chat`)!.registrationId;
  const deliver = (lang: string) => cdp.send("ServiceWorker.deliverPushMessage", { origin: baseURL!, registrationId, data: JSON.stringify({ v: 1, lang }) });
  const shown = () =>
    page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration("/chat");
      return (await registration!.getNotifications()).map(({ title, body, tag }) => ({ title, body, tag }));
    });
  const closeAll = () =>
    page.evaluate(async () => (await (await navigator.serviceWorker.getRegistration("/chat"))!.getNotifications()).forEach((n) => n.close()));

  // Messages in view: it shows what arrives itself, so the worker shows nothing.
  await deliver("en");
  await page.waitForTimeout(1_500);
  expect(await shown()).toEqual([]);

  // Only a social page open: one notification, saying only that there is a new message.
  await page.goto("/");
  await deliver("de");
  await expect.poll(shown, { timeout: 10_000 }).toEqual([{ title: "Hearth Nachrichten", body: "Du hast eine neue Nachricht", tag: "hearth-new-message" }]);
  await closeAll();
  await deliver("en");
  await expect.poll(shown, { timeout: 10_000 }).toEqual([{ title: "Hearth Messages", body: "You have a new message", tag: "hearth-new-message" }]);
  await closeAll();
});

test("sharing a photo and text into the installed app: the service worker keeps them, the person picks a conversation and sends them encrypted", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const { alice, bob } = await aliceAndBobWhoFollowsHer(browser, baseURL);
  await openConversation(alice.page, bob.account.handle);
  await sendMessage(alice.page, privateText("before sharing"));

  // What the share sheet posts (the manifest's share_target), from a page the worker controls.
  await alice.page.goto("/chat");
  await alice.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  const shared = privateText("shared from another app");
  const landedAt = await alice.page.evaluate(
    async ({ text, png }) => {
      const form = new FormData();
      form.append("text", text);
      form.append("photos", new File([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], "holiday.png", { type: "image/png" }));
      return (await fetch("/chat/share", { method: "POST", body: form })).url;
    },
    { text: shared, png: TINY_PNG.toString("base64") },
  );
  expect(new URL(landedAt).pathname).toBe("/chat/share");

  await alice.page.goto("/chat/share");
  const screen = alice.page.getByTestId("share-screen");
  await expect(screen).toContainText(shared);
  await expect(screen).toContainText("1 photo");
  await screen.getByRole("link", { name: new RegExp(bob.account.handle) }).click();
  await expect(alice.page.getByTestId("attachment-tray-item")).toHaveAttribute("data-name", "holiday.png");
  await expect(composer(alice.page)).toHaveValue(shared);
  await composer(alice.page).press("Enter");
  await expect(message(alice.page, shared)).toBeVisible();

  await bob.page.goto("/chat");
  await bob.page.getByTestId("conversation").filter({ hasText: alice.account.handle }).getByRole("link").first().click();
  await expect(message(bob.page, shared)).toBeVisible();
  // Photos are drawn again (as JPEG, without metadata) before they are encrypted and sent.
  await expect(bob.page.locator('[data-testid="attachment"][data-name="holiday.jpg"]')).toHaveAttribute("data-status", "downloaded", { timeout: 20_000 });
});
