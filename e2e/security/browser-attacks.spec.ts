// Browser-side attacks (issue 16, item 3).
//
// Markup and script typed into every field a person controls render as inert text, for the person
// who reads them: a display name, a bio, a post's text (with a hashtag, a mention and links), its
// content warning, an image's description, a story's text and a private message. Each carries the
// payloads below; on every page that shows them the test checks that no JavaScript dialog opened,
// that window.__xss stayed undefined, that no element anywhere carries an on* attribute, that no
// <script> sits in the page's content and no <img src=x> was made, that every link and frame points
// at http(s) (no javascript: link), that the payloads are on the page as text, and that a right-to-left
// override reorders nothing past the end of the field it was typed in. A display name refuses it.
// A second test does the same for a group's name and a file's name sent in it, as both members see
// them: the override is taken out of both, and a file named "…<U+202E>gnp.exe" shows as what it is, its
// real extension last. A third makes a video call between two people whose names are markup: the
// call page shows them as text, and contacts no origin but Hearth's and the configured LiveKit
// server's (every request and WebSocket of both call pages recorded).
//
// The last test: no page of Hearth's renders inside a frame (CSP frame-ancestors 'none'), the
// session cookie is out of reach of script (httpOnly), a real cross-site form post is refused, and so
// is a state-changing request whose Origin differs from Hearth's by scheme, by host or by port
// (e2e/auth/security-headers.spec.ts has the headers and another host; server/auth/request-origin.test.ts
// the rule itself).
//
// Every request the tests' pages make is checked by the fixtures (e2e/fixtures/test.ts, people.ts):
// each must go to Hearth's own origin.
import type { Locator, Page } from "@playwright/test";
import { follow, leave, signUpPerson, TINY_PNG, uniqueWord, type Person } from "../fixtures/people";
import { expect, newAccount, signUp, test } from "../fixtures/test";
import { composer, makeGroup, message, openConversation, openGroupFromList, privateText, sendMessage, setUpMessages } from "../chat/chat";
import { acceptRinging, allowLivekit, ROOM_PATH, startCall } from "../chat/calls";
import config from "../../playwright.config";

// Chromium's Local Network Access keeps a public page (about:blank here) from reaching localhost,
// where the test server runs. A real Hearth is on the public internet, where an attacker's page
// reaches it: the check is off for these tests, so that every refusal they see is Hearth's own.
// The call test's camera and microphone are Chromium's fake ones, granted without a prompt.
const launchOptions = config.use?.launchOptions ?? {};
test.use({
  launchOptions: {
    ...launchOptions,
    args: [
      ...(launchOptions.args ?? []),
      "--disable-features=LocalNetworkAccessChecks",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
    ],
  },
});

const IMG = "<img src=x onerror=window.__xss=1>";
const SCRIPT = "<script>window.__xss=1</script>";
const SVG = `"><svg onload=window.__xss=1>`;
const JS_URL = "javascript:window.__xss=1";
const MARKDOWN = "[x](javascript:alert(1))";
const TEMPLATE = "{{7*7}}";
/** U+202E RIGHT-TO-LEFT OVERRIDE: what follows reads backwards ("exe.png" here) until something isolates it. */
const BIDI = "\u202Egnp.exe";

const PAYLOADS = [IMG, SCRIPT, SVG, JS_URL, MARKDOWN, TEMPLATE, BIDI];

/** Prints how many payloads the typed values carried (each value counts each payload it holds): docs/security.md's figures. */
function reportPayloads(test: string, typed: string[]): void {
  const payloads = typed.reduce((sum, value) => sum + PAYLOADS.filter((payload) => value.includes(payload)).length, 0);
  console.info(`[browser attacks] ${test}: ${payloads} payloads in ${typed.length} fields`);
}

/** Watches a person's page for JavaScript dialogs (alert, confirm, prompt), dismissing and noting each. */
function watchDialogs(person: Person, dialogs: string[]): void {
  person.page.on("dialog", (dialog) => {
    dialogs.push(`@${person.account.handle}: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
}

/**
 * Checks the page as it is now: nothing ran, nothing was injected, and every typed value shows as
 * the text it was. `typed` are the values whose text is on the page; `shown` the parts to look for.
 */
async function expectInert(page: Page, typed: string[], shown: string[]): Promise<void> {
  const problems = await page.evaluate((typed) => {
    const found: string[] = [];
    if ((window as { __xss?: unknown }).__xss !== undefined) found.push("window.__xss was set");
    for (const element of document.querySelectorAll("*")) {
      for (const attribute of element.attributes) if (attribute.name.toLowerCase().startsWith("on")) found.push(`<${element.localName} ${attribute.name}>`);
      for (const name of ["href", "src", "action", "formaction", "xlink:href"]) {
        const value = element.getAttribute(name);
        if (value === null) continue;
        if (name === "src" && value === "x") found.push(`<${element.localName} src=x>`);
        const protocol = new URL(value, document.baseURI).protocol;
        if (!["http:", "https:", "blob:", "data:"].includes(protocol) || (protocol === "data:" && element.localName !== "img"))
          found.push(`<${element.localName} ${name}="${value}">`);
      }
    }
    for (const script of document.querySelectorAll("main script, dialog script, [role=dialog] script, body script:not([src]):not([nonce])"))
      found.push(`script in the content: ${script.outerHTML.slice(0, 80)}`);
    // A bidi override must end with the field: the nearest block or isolating box around it holds
    // nothing after it that is not the end of what was typed.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.nodeValue?.includes("\u202E") || node.parentElement!.closest("script, style, template, noscript")) continue;
      let box = node.parentElement!;
      while (box.parentElement) {
        const style = getComputedStyle(box);
        if (!["inline", "contents"].includes(style.display) || ["isolate", "isolate-override", "plaintext"].includes(style.unicodeBidi)) break;
        box = box.parentElement;
      }
      const text = box.textContent ?? "";
      const tail = text.slice(text.indexOf("\u202E")).trim();
      if (!typed.some((value) => value.trimEnd().endsWith(tail))) found.push(`bidi override reaches past its field: …${JSON.stringify(tail.slice(0, 120))}`);
    }
    return found;
  }, typed);
  expect(problems, `on ${page.url()}`).toEqual([]);
  const text = await page.locator("body").innerText();
  for (const part of shown) expect(text, `on ${page.url()}`).toContain(part);
}

/**
 * Each file name shown holds no direction control, ends in `extension` (its real one), and shows
 * it on the right of the rest of the name, whole.
 */
async function expectRealExtension(names: Locator, extension: string): Promise<void> {
  await expect(names).not.toHaveCount(0);
  for (const name of await names.all()) {
    const text = (await name.textContent()) ?? "";
    expect(text, "a file name as shown").not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    expect(text.endsWith(extension), `${JSON.stringify(text)} ends in ${extension}`).toBe(true);
    const shownExtension = name.locator(".chat-file-extension");
    await expect(shownExtension).toHaveText(extension);
    // A long name may wrap inside a narrow bubble: the extension follows the stem's last line.
    const { stemEnd, extensionStart } = await name.evaluate((element) => {
      const lines = element.querySelector("bdi")!.getClientRects();
      const last = lines[lines.length - 1]!;
      const shown = element.querySelector(".chat-file-extension")!.getBoundingClientRect();
      return { stemEnd: { right: last.right, top: last.top }, extensionStart: { left: shown.left, top: shown.top } };
    });
    expect(extensionStart.left, "the extension is right of the rest of the name").toBeGreaterThanOrEqual(stemEnd.right - 1);
    expect(Math.abs(extensionStart.top - stemEnd.top), "on the same line as the name's end").toBeLessThan(4);
  }
}

test("markup and script in names, bios, posts, warnings, descriptions, stories and messages render as text", async ({ browser, baseURL }) => {
  // Two people, two chat set-ups (key generation) and a dozen page loads on 2 busy cores.
  test.setTimeout(150_000);
  const dialogs: string[] = [];
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  watchDialogs(alice, dialogs);
  watchDialogs(bob, dialogs);
  const a = alice.account.handle;
  const b = bob.account.handle;

  // Alice's name and bio. A name may not hold a direction override at all.
  const name = `${SVG}${TEMPLATE}`;
  const bio = `${IMG} ${SCRIPT} ${JS_URL} ${MARKDOWN} ${BIDI}`;
  await alice.page.goto(`/@${a}`);
  await alice.page.getByRole("main").getByRole("button", { name: "Edit profile" }).click();
  const editor = alice.page.getByRole("dialog", { name: "Edit profile" });
  await editor.getByLabel("Name").fill(`Alice ${BIDI}`);
  await editor.getByLabel("Bio").fill(bio);
  await editor.getByRole("button", { name: "Save", exact: true }).click();
  await expect(editor.getByText("A name cannot contain invisible, control or direction-changing characters.")).toBeVisible();
  await editor.getByLabel("Name").fill(name);
  await editor.getByRole("button", { name: "Save", exact: true }).click();
  await expect(alice.page.getByText("Profile saved.", { exact: true })).toBeVisible();

  // A post with every payload, a hashtag and a mention glued to markup, two links, a content
  // warning and a photo whose description is markup too.
  const tag = uniqueWord("xss");
  const text = `#${tag}${IMG} @${b}${SVG} ${SCRIPT} ${JS_URL} ${MARKDOWN} ${TEMPLATE} https://example.org/a?b=1 ${BIDI}`;
  const warning = `${SCRIPT}${TEMPLATE} ${BIDI}`;
  const altText = `${SVG}${IMG}`;
  await alice.page.goto("/");
  const composer = alice.page.getByRole("form", { name: "Write a post" });
  await composer.getByRole("textbox", { name: "Write a post" }).fill(text);
  await composer.getByRole("button", { name: "Add a content warning" }).click();
  await composer.getByRole("textbox", { name: "Content warning" }).fill(warning);
  await composer.locator('input[type="file"]').setInputFiles({ name: "x.png", mimeType: "image/png", buffer: TINY_PNG });
  await composer.getByLabel("Description of image 1").fill(altText);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(alice.page.getByText("Your post was sent.", { exact: true })).toBeVisible();

  const storyText = `${SCRIPT} ${SVG} ${JS_URL} ${TEMPLATE} ${BIDI}`;
  await alice.page.getByRole("button", { name: "Add story" }).click();
  const storyComposer = alice.page.getByRole("dialog", { name: "New story" });
  await storyComposer.getByRole("textbox", { name: "Text", exact: true }).fill(storyText);
  await storyComposer.getByRole("button", { name: "Share story" }).click();
  await expect(alice.page.getByText("Your story is up for 24 hours.", { exact: true })).toBeVisible();

  // Bob reads all of it: her profile, the post (behind its warning), its page and its hashtag's.
  await follow(bob, a);
  const typed = [name, bio, text, warning, altText, storyText];
  const page = bob.page;
  const showPost = async () => {
    const post = page.getByRole("article").filter({ hasText: TEMPLATE }).first();
    await post.getByRole("button", { name: "Show", exact: true }).click();
    await expect(post.locator(".post-text")).toContainText(MARKDOWN);
    await expect(post.locator("img")).toHaveAttribute("alt", altText);
    // Mention and hashtag are links to their pages; nothing else in the text became one.
    const links = post.locator(".post-text a");
    await expect(links).toHaveCount(3);
    await expect(links.nth(0)).toHaveAttribute("href", `/hashtag/${tag}`);
    await expect(links.nth(1)).toHaveAttribute("href", `/@${b}`);
    await expect(links.nth(2)).toHaveAttribute("href", "https://example.org/a?b=1");
  };
  await showPost();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expectInert(page, typed, [name, IMG, SCRIPT, JS_URL, MARKDOWN, SVG, TEMPLATE, warning.replace(BIDI, "").trim()]);

  const postId = await page.getByRole("article").filter({ hasText: TEMPLATE }).first().getAttribute("data-post-id");
  await page.goto(`/post/${postId}`);
  await showPost();
  await expectInert(page, typed, [name, IMG, SCRIPT, JS_URL, MARKDOWN, SVG, TEMPLATE]);
  await page.goto(`/hashtag/${tag}`);
  await showPost();
  await expectInert(page, typed, [name, IMG, SCRIPT, JS_URL, MARKDOWN, SVG, TEMPLATE]);

  await page.goto("/");
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.getByRole("button", { name: /: 1 story, 1 new$/ }).click();
  const viewer = page.getByRole("dialog", { name: /^Story by / });
  await expect(viewer).toContainText(SCRIPT);
  await expectInert(page, typed, [SCRIPT, SVG, JS_URL, TEMPLATE]);
  await page.keyboard.press("Escape");

  // A private message, end to end: Bob's browser decrypts it and must show it as text too.
  await setUpMessages(alice.page);
  await setUpMessages(bob.page);
  const secret = privateText(`${IMG} ${SCRIPT} ${SVG} ${JS_URL} ${MARKDOWN} ${TEMPLATE} ${BIDI}`);
  await openConversation(alice.page, b);
  await sendMessage(alice.page, secret);
  await expectInert(alice.page, [...typed, secret], [secret.split(BIDI)[0]!.trim()]);
  await page.goto("/chat");
  // Bob's browser starts its chat, opens the first message's session and decrypts: give it as long as the other chat journeys do.
  await expect(page.getByTestId("conversation").filter({ hasText: a })).toContainText(IMG, { timeout: 20_000 });
  await expectInert(page, [...typed, secret], [IMG, SCRIPT]);
  await openConversation(page, a);
  await expect(message(page, secret)).toHaveAttribute("data-direction", "incoming");
  await expectInert(page, [...typed, secret], [name, IMG, SCRIPT, SVG, JS_URL, MARKDOWN, TEMPLATE]);

  // Alice's own views of her profile and home hold the same.
  await alice.page.goto(`/@${a}`);
  await expectInert(alice.page, typed, [name, IMG, SCRIPT, JS_URL, MARKDOWN]);

  expect(dialogs, "JavaScript dialogs").toEqual([]);
  reportPayloads("names, bios, posts, warnings, descriptions, stories, messages", [`Alice ${BIDI}`, ...typed, secret]);
  await leave(alice);
  await leave(bob);
});

test("markup and script in a group's name and a file's name render as text for every member", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const dialogs: string[] = [];
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  watchDialogs(alice, dialogs);
  watchDialogs(bob, dialogs);
  await Promise.all([setUpMessages(alice.page), setUpMessages(bob.page)]);
  await follow(alice, bob.account.handle);
  // Bob follows back, so the group is no message request for him.
  await follow(bob, alice.account.handle);

  // Both travel end to end encrypted: written down as private, the teardown proves the server never saw them.
  // Each holds a right-to-left override: the file's real name ends in ".exe", shown reversed it would end in ".png".
  const groupName = privateText(`${SVG}${IMG} ${TEMPLATE} ${BIDI}`);
  const fileName = `${privateText(`${IMG}${SVG}${TEMPLATE}`)}${BIDI}`;
  await makeGroup(alice, groupName, [bob]);
  await alice.page.getByTestId("attachment-input").setInputFiles({ name: fileName, mimeType: "text/plain", buffer: Buffer.from("a file") });
  await expect(alice.page.getByTestId("attachment-tray")).toContainText(IMG);
  await expectRealExtension(alice.page.getByTestId("attachment-tray").getByTestId("file-name"), ".exe");
  const caption = privateText("the file");
  await composer(alice.page).fill(caption);
  await composer(alice.page).press("Enter");
  await expect(message(alice.page, caption)).toBeVisible({ timeout: 20_000 });
  const typed = [groupName, fileName, caption];
  await expectInert(alice.page, typed, [IMG, SVG, TEMPLATE, "gnp.exe"]);
  await expectRealExtension(message(alice.page, caption).getByTestId("file-name"), ".exe");

  await bob.page.goto("/chat");
  await expect(bob.page.getByTestId("conversation").filter({ hasText: IMG })).toHaveAttribute("data-kind", "group", { timeout: 20_000 });
  await expectInert(bob.page, typed, [IMG, SVG, TEMPLATE]);
  await openGroupFromList(bob.page, IMG);
  await expect(message(bob.page, caption)).toContainText(IMG, { timeout: 20_000 });
  await expectInert(bob.page, typed, [IMG, SVG, TEMPLATE, "gnp.exe"]);
  await expectRealExtension(message(bob.page, caption).getByTestId("file-name"), ".exe");

  expect(dialogs, "JavaScript dialogs").toEqual([]);
  reportPayloads("group and file names", [groupName, fileName]);
  await leave(alice);
  await leave(bob);
});

/** Sets a person's display name, as the profile editor would. */
async function nameThem(person: Person, displayName: string): Promise<void> {
  const response = await person.page.request.post("/api/trpc/social.people.updateProfile", {
    headers: { origin: new URL(person.page.url()).origin, "content-type": "application/json" },
    data: { displayName },
  });
  expect(response.status(), `display name ${displayName}`).toBe(200);
}

/** Every origin a page contacts (requests, its workers' included, and WebSockets), and whether it was on a call page then. */
function recordContacts(page: Page): { origin: string; onCallPage: boolean; websocket: boolean }[] {
  const contacts: { origin: string; onCallPage: boolean; websocket: boolean }[] = [];
  const note = (url: string, websocket: boolean) => {
    const { protocol, origin } = new URL(url);
    if (protocol !== "data:" && protocol !== "blob:") contacts.push({ origin, onCallPage: ROOM_PATH.test(new URL(page.url()).pathname), websocket });
  };
  page.on("request", (request) => note(request.url(), false));
  page.on("websocket", (socket) => note(socket.url(), true));
  return contacts;
}

test("markup in call participants' names renders as text, and a call page reaches no origin but Hearth's and the call server's", async ({
  browser,
  baseURL,
}) => {
  // Two people, their chats and a video call between two browsers on 2 busy cores.
  test.setTimeout(180_000);
  const dialogs: string[] = [];
  const alice = await signUpPerson(browser, baseURL);
  const bob = await signUpPerson(browser, baseURL);
  watchDialogs(alice, dialogs);
  watchDialogs(bob, dialogs);
  // A call names its participants by their display names.
  const aliceName = `${IMG}${TEMPLATE}`;
  const bobName = `${SVG} Bob`;
  await nameThem(alice, aliceName);
  await nameThem(bob, bobName);
  // Bob follows Alice: a call from someone not followed would not ring (a message request stays silent).
  await follow(bob, alice.account.handle);
  await Promise.all([setUpMessages(alice.page), setUpMessages(bob.page)]);
  const own = new URL(baseURL!).origin;
  const livekit = await allowLivekit([alice, bob]);
  const contacts = [recordContacts(alice.page), recordContacts(bob.page)];

  await openConversation(alice.page, bob.account.handle);
  const room = await startCall(alice.page, "video");
  const ringing = bob.page.getByTestId("incoming-call");
  await expect(ringing).toContainText(aliceName, { timeout: 30_000 });
  await expectInert(bob.page, [aliceName, bobName], [aliceName]);
  await acceptRinging(bob, room);

  for (const [page, other] of [
    [alice.page, bobName],
    [bob.page, aliceName],
  ] as const) {
    await expect(page.getByTestId("call-tile")).toHaveCount(1, { timeout: 30_000 });
    await expect(page.getByTestId("call-tile")).toHaveAttribute("data-encrypted", "true", { timeout: 30_000 });
    await expect(page.getByTestId("call-screen")).toContainText(other);
    await expectInert(page, [aliceName, bobName], [other]);
  }
  await alice.page.getByRole("button", { name: "Leave call" }).click();
  for (const page of [alice.page, bob.page]) await expect(page.getByTestId("call-over")).toBeVisible({ timeout: 20_000 });

  for (const [person, contacted] of [
    [alice, contacts[0]!],
    [bob, contacts[1]!],
  ] as const) {
    const who = `@${person.account.handle}`;
    // Not vacuous: the call page spoke to Hearth and held a WebSocket to the LiveKit server.
    expect(
      contacted.some((contact) => contact.onCallPage && contact.origin === own),
      `${who}: Hearth from the call page`,
    ).toBe(true);
    expect(
      contacted.some((contact) => contact.onCallPage && contact.websocket && livekit.includes(contact.origin)),
      `${who}: LiveKit from the call page`,
    ).toBe(true);
    const elsewhere = contacted.filter((contact) => contact.origin !== own && !(contact.onCallPage && livekit.includes(contact.origin)));
    expect(elsewhere, `${who}: origins besides Hearth's, and LiveKit's on a call page`).toEqual([]);
  }
  expect(dialogs, "JavaScript dialogs").toEqual([]);
  reportPayloads("call participants' names", [aliceName, bobName]);
  await leave(alice);
  await leave(bob);
});

test("no page can be framed, script cannot read the session, and other origins cannot change anything", async ({ page, baseURL }) => {
  const account = newAccount();
  await signUp(page, account);
  const own = new URL(baseURL!);

  // The session cookie is httpOnly: the browser holds it, script does not see it.
  const session = (await page.context().cookies()).find((cookie) => /^(__Host-)?hearth_session$/.test(cookie.name));
  expect(session?.httpOnly).toBe(true);
  await page.goto("/");
  const visible = await page.evaluate(() => document.cookie);
  expect(visible).not.toContain("hearth_session");
  expect(visible).not.toContain(session!.value);

  // Clickjacking: a page of another origin (about:blank's is opaque) frames Hearth's pages; the
  // browser loads them and refuses to show them.
  const framed = ["/", `/@${account.handle}`, "/settings", "/login"];
  for (const path of framed) {
    await page.goto("about:blank");
    const loaded = page.waitForResponse((response) => response.url() === new URL(path, own).href && response.request().resourceType() === "document");
    await page.setContent(`<iframe src="${new URL(path, own).href}" width="800" height="600"></iframe>`);
    expect((await loaded).headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await expect.poll(() => page.frames()[1]?.url(), { message: `${path} in a frame` }).toMatch(/^chrome-error:/);
    await expect(page.frameLocator("iframe").locator("main, form")).toHaveCount(0);
  }

  // A real cross-site form post (text/plain, the classic way to send JSON from a form): refused by
  // the origin check even before SameSite would keep the cookie back.
  await page.goto("about:blank");
  await page.setContent(
    `<form method="post" enctype="text/plain" action="${new URL("/api/trpc/social.people.updateProfile", own).href}">` +
      `<input name='{"bio":"changed by a form","x":"' value='"}'></form>`,
  );
  const answered = page.waitForResponse((response) => response.url().includes("social.people.updateProfile"));
  await page.locator("form").evaluate((form: HTMLFormElement) => form.submit());
  expect((await answered).status()).toBe(403);

  // Another scheme, another host, another port, or no origin at all: refused, for tRPC and a route handler.
  const others = [`https://${own.host}`, `http://127.0.0.1:${own.port}`, `http://${own.hostname}:${Number(own.port) + 1}`, `http://${own.hostname}`, "null"];
  for (const origin of others) {
    const trpc = await page.request.post("/api/trpc/social.people.updateProfile", {
      headers: { origin, "content-type": "application/json" },
      data: { bio: `changed from ${origin}` },
    });
    expect(trpc.status(), `tRPC from ${origin}`).toBe(403);
    const upload = await page.request.post("/api/media/upload", {
      headers: { origin },
      multipart: { file: { name: "x.png", mimeType: "image/png", buffer: TINY_PNG } },
    });
    expect(upload.status(), `upload from ${origin}`).toBe(403);
  }
  // The same call from Hearth's own origin passes: the refusals were the origin's.
  const same = await page.request.post("/api/trpc/social.people.updateProfile", {
    headers: { origin: own.origin, "content-type": "application/json" },
    data: { bio: "changed by Hearth itself" },
  });
  expect(same.status()).toBe(200);
  await page.goto(`/@${account.handle}`);
  await expect(page.getByRole("main").getByText("changed by Hearth itself")).toBeVisible();
  await expect(page.getByRole("main").getByText(/changed (by a form|from)/)).toHaveCount(0);
  // Each framing, the cookie read, the form post, and each forged origin against tRPC and a route handler.
  console.info(`[browser attacks] framing, session cookie, other origins: ${framed.length + 1 + 1 + others.length * 2} attacks`);
});
