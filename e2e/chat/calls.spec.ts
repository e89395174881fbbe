// Calls end to end, in Chromium with fake camera and microphone, against the real LiveKit server
// that the test server starts beside the app. Two people make a video call from their chat: each
// side's remote video keeps decoding frames and both show the encrypted state; someone who joins
// the same room with a valid token but without the call's key decodes nothing, and the others are
// warned; after the hang-up both see the call's length. Three people make a group call: when one
// leaves, the two who stay switch to a new key and keep decoding, and the one who left, joining
// again with the key she kept, decodes nothing. Someone shares their screen, and chooses the
// speaker view.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Locator, Page } from "@playwright/test";
import type * as LivekitClient from "livekit-client";
import type { Room as LivekitRoom, RemoteVideoTrack } from "livekit-client";
import { CHROMIUM_ARGS } from "../../playwright.config";
import { toolEnv } from "../../scripts/tool-env";
import { follow, leave, signUpPerson, type Person } from "../fixtures/people";
import { expect, expectAccessible, newAccount, signUp, test } from "../fixtures/test";
import { makeGroup, openConversation, setUpMessages } from "./chat";
import { acceptRinging, allowLivekit, startCall } from "./calls";

// Fake media devices, granted without a prompt: for this file's browsers only.
test.use({
  launchOptions: {
    executablePath: toolEnv().CHROMIUM_PATH,
    // The fake UI also answers the screen picker: the whole (fake) screen is chosen.
    args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--auto-select-desktop-capture-source=Entire screen"],
  },
});
// One call at a time: each one is several browsers encoding and decoding video on a small machine.
test.describe.configure({ mode: "default" });

async function framesOf(tile: Locator): Promise<number> {
  return Number((await tile.getAttribute("data-frames-decoded")) || 0);
}

/** The tile's decoded-frame count climbs by at least `by` (the fake camera sends about 30 a second). */
async function expectDecoding(tile: Locator, by = 30): Promise<void> {
  const start = await framesOf(tile);
  await expect.poll(() => framesOf(tile), { timeout: 30_000 }).toBeGreaterThan(start + by);
}

/**
 * Joins the room from a signed-in page on a call route the way any browser could: a fresh token from
 * calls.join (as the page's own client would ask) and LiveKit's client, publishing the fake camera
 * and microphone, with the given 32-byte key in slot 0. Resolves to what this browser then receives.
 */
async function joinRoomWithKey(page: Page, room: string, key: readonly number[]) {
  // LiveKit's client as a script in the page, through DevTools so the page's CSP does not stand in the way.
  const cdp = await page.context().newCDPSession(page);
  const { exceptionDetails } = (await cdp.send("Runtime.evaluate", {
    expression: readFileSync(path.join(process.cwd(), "node_modules", "livekit-client", "dist", "livekit-client.umd.js"), "utf8"),
  })) as { exceptionDetails?: unknown };
  expect(exceptionDetails, "livekit-client loads in the page").toBeUndefined();
  await cdp.detach();
  await page.evaluate(
    async ({ roomName, keyBytes }) => {
      const response = await fetch("/api/trpc/calls.join?batch=1", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ 0: { room: roomName, kind: "video", maxParticipants: 3 } }),
      });
      const [answer] = (await response.json()) as [{ result: { data: { url: string; token: string } } }];
      const { url, token } = answer.result.data;
      // The UMD build's global: no types for it in a page.
      const { Room, RoomEvent, ExternalE2EEKeyProvider } = (window as unknown as { LivekitClient: typeof LivekitClient }).LivekitClient;
      const keyProvider = new ExternalE2EEKeyProvider();
      await keyProvider.setKey(new Uint8Array(keyBytes).buffer);
      const lk = new Room({ encryption: { keyProvider, worker: new Worker("/chat/call/e2ee-worker.js") } });
      const seen = { errors: 0 };
      lk.on(RoomEvent.EncryptionError, () => void (seen.errors += 1));
      await lk.setE2EEEnabled(true);
      await lk.connect(url, token, { rtcConfig: { iceServers: [] } });
      await lk.localParticipant.enableCameraAndMicrophone();
      Object.assign(window, { joinedWithKey: { room: lk, seen } });
    },
    { roomName: room, keyBytes: [...key] },
  );
  /** What this browser received and decoded of the others' video, and its decryption errors. */
  const received = () =>
    page.evaluate(async () => {
      const { room: lk, seen } = (window as unknown as { joinedWithKey: { room: LivekitRoom; seen: { errors: number } } }).joinedWithKey;
      let bytes = 0;
      let frames = 0;
      let tracks = 0;
      for (const participant of lk.remoteParticipants.values()) {
        for (const publication of participant.videoTrackPublications.values()) {
          const track = publication.videoTrack as RemoteVideoTrack | undefined;
          const stats = await track?.getReceiverStats();
          if (!stats) continue;
          tracks += 1;
          bytes += stats.bytesReceived ?? 0;
          frames += stats.framesDecoded ?? 0;
        }
      }
      return { tracks, bytes, frames, errors: seen.errors };
    });
  return { received };
}

/** Someone signed in but never invited joins the room with a valid token and a key of their own. */
async function intruderJoins(browser: Browser, baseURL: string | undefined, room: string) {
  const context = await browser.newContext({ baseURL, bypassCSP: true, extraHTTPHeaders: { "x-forwarded-for": "2001:db8:ca11::1" } });
  const page = await context.newPage();
  await signUp(page, newAccount());
  // A call page: only those may use the camera.
  await page.goto(`/chat/call/${room}`);
  const { received } = await joinRoomWithKey(page, room, [...randomBytes(32)]);
  return { context, page, received };
}

/**
 * Records, in the person's browser, every call key handed to LiveKit's E2EE (the raw bytes LiveKit
 * imports as HKDF key material): what someone who was in a call keeps after leaving it.
 */
async function recordCallKeys(person: Person): Promise<void> {
  await person.context.addInitScript(() => {
    const seen: number[][] = [];
    Object.assign(window, { callKeysSeen: seen });
    const importKey = crypto.subtle.importKey.bind(crypto.subtle);
    // The overloads of importKey do not survive a wrapper's signature: the arguments pass through untouched.
    crypto.subtle.importKey = ((...args: Parameters<typeof importKey>) => {
      const [format, data, algorithm] = args;
      const name = typeof algorithm === "string" ? algorithm : algorithm.name;
      if (format === "raw" && name === "HKDF") {
        const raw = data as BufferSource;
        const bytes = ArrayBuffer.isView(raw) ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Uint8Array(raw);
        if (bytes.length === 32) seen.push([...bytes]);
      }
      return importKey(...args);
    }) as typeof importKey;
  });
}

async function callKeysSeen(person: Person): Promise<number[][]> {
  return person.page.evaluate(() => (window as unknown as { callKeysSeen: number[][] }).callKeysSeen);
}

test("two people make an end-to-end encrypted video call; someone with a token but not the key decodes nothing and is flagged", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const [alice, bob] = await Promise.all([signUpPerson(browser, baseURL), signUpPerson(browser, baseURL)]);
  // Bob follows Alice: a call from someone not followed would not ring (a message request stays silent).
  await follow(bob, alice.account.handle);
  await Promise.all([setUpMessages(alice.page), setUpMessages(bob.page)]);
  await allowLivekit([alice, bob]);

  // Alice calls from her conversation with Bob; Bob, on his list, sees it ring and accepts.
  const setUpStarted = Date.now();
  await openConversation(alice.page, bob.account.handle);
  const room = await startCall(alice.page, "video");
  await expect(alice.page.getByTestId("call-status")).toHaveText("Calling…", { timeout: 20_000 });
  await acceptRinging(bob, room);

  const aliceSeesBob = alice.page.getByTestId("call-tile");
  const bobSeesAlice = bob.page.getByTestId("call-tile");
  for (const [page, tile] of [
    [alice.page, aliceSeesBob],
    [bob.page, bobSeesAlice],
  ] as const) {
    await expect(tile).toHaveCount(1, { timeout: 30_000 });
    await expect(tile).toHaveAttribute("data-encrypted", "true", { timeout: 20_000 });
    await expect(page.getByTestId("call-encryption")).toHaveAttribute("data-encrypted", "true", { timeout: 20_000 });
    await expect(page.getByTestId("call-encryption")).toHaveText("End-to-end encrypted");
  }
  await expect.poll(() => framesOf(aliceSeesBob), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => framesOf(bobSeesAlice), { timeout: 30_000 }).toBeGreaterThan(0);
  console.log(`[calls] click to first frames decoded on both sides: ${Date.now() - setUpStarted} ms`);
  await Promise.all([expectDecoding(aliceSeesBob), expectDecoding(bobSeesAlice)]);
  // Who is who came from the encrypted chat alone.
  await expect(aliceSeesBob).toHaveAttribute("data-handle", bob.account.handle);
  await expect(bobSeesAlice).toHaveAttribute("data-handle", alice.account.handle);
  // Alice can choose her camera and microphone, and mutes: Bob sees it.
  await expect(alice.page.getByTestId("call-device-videoinput").locator("option")).not.toHaveCount(0);
  await expect(alice.page.getByTestId("call-device-audioinput").locator("option")).not.toHaveCount(0);
  await alice.page.getByTestId("call-mute").click();
  await expect(alice.page.getByTestId("call-mute")).toHaveAttribute("aria-pressed", "true");
  await expect(bobSeesAlice).toHaveAttribute("data-microphone", "false");
  await alice.page.getByTestId("call-mute").click();
  await expect(bobSeesAlice).toHaveAttribute("data-microphone", "true");
  await expectAccessible(alice.page);

  // Mallory gets a valid token for the room, but not the key.
  const mallory = await intruderJoins(browser, baseURL, room);
  for (const page of [alice.page, bob.page]) {
    await expect(page.getByTestId("call-tile")).toHaveCount(2, { timeout: 30_000 });
    await expect(page.getByTestId("call-undecryptable")).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('[data-testid="call-tile"][data-undecryptable="true"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="call-tile"][data-handle=""]')).toHaveAttribute("data-undecryptable", "true");
    // Nobody introduced Mallory through the chat.
    await expect(page.getByTestId("call-stranger")).toBeVisible({ timeout: 20_000 });
  }
  // Bytes reach Mallory's browser, frames never come out of it.
  await expect.poll(async () => (await mallory.received()).tracks, { timeout: 30_000 }).toBe(2);
  await expect.poll(async () => (await mallory.received()).bytes, { timeout: 30_000 }).toBeGreaterThan(50_000);
  const malloryNow = await mallory.received();
  expect(malloryNow.frames).toBe(0);
  expect(malloryNow.errors).toBeGreaterThan(0);
  // Meanwhile Alice and Bob keep decoding each other.
  await Promise.all([
    expectDecoding(alice.page.locator(`[data-testid="call-tile"][data-handle="${bob.account.handle}"]`)),
    expectDecoding(bob.page.locator(`[data-testid="call-tile"][data-handle="${alice.account.handle}"]`)),
  ]);
  expect((await mallory.received()).frames).toBe(0);
  await mallory.context.close();

  // Alice hangs up: the call ends on both sides, with its length.
  await alice.page.getByRole("button", { name: "Leave call" }).click();
  for (const page of [alice.page, bob.page]) {
    await expect(page.getByTestId("call-over")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("call-duration")).toHaveAttribute("data-duration-ms", /^[1-9]\d*$/);
    await expect(page.getByTestId("call-duration")).toContainText(/Duration \d+:\d\d/);
  }
  await leave(alice);
  await leave(bob);
});

test("three people make a group call; when one leaves the two who stay switch to a new key and keep decoding, and the one who left, back with the old key, decodes nothing", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const [alice, bob, carol] = await Promise.all([signUpPerson(browser, baseURL), signUpPerson(browser, baseURL), signUpPerson(browser, baseURL)]);
  await recordCallKeys(carol);
  await Promise.all([setUpMessages(alice.page), setUpMessages(bob.page), setUpMessages(carol.page)]);
  await follow(alice, bob.account.handle);
  await follow(alice, carol.account.handle);
  // They follow Alice back, so the group is no message request for them.
  await follow(bob, alice.account.handle);
  await follow(carol, alice.account.handle);
  await allowLivekit([alice, bob, carol]);
  await makeGroup(alice, `Band ${Date.now()}`, [bob, carol]);
  // The members' devices hold the group before it rings there.
  for (const member of [bob, carol]) {
    await member.page.goto("/chat");
    await expect(member.page.locator('[data-testid="conversation"][data-kind="group"]')).toBeVisible({ timeout: 30_000 });
  }

  const room = await startCall(alice.page, "video");
  await Promise.all([acceptRinging(bob, room), acceptRinging(carol, room)]);
  const everyone = [alice, bob, carol];
  for (const person of everyone) {
    await expect(person.page.getByTestId("call-tile")).toHaveCount(2, { timeout: 40_000 });
    await expect(person.page.getByTestId("call-encryption")).toHaveAttribute("data-encrypted", "true", { timeout: 20_000 });
    await expect(person.page.getByTestId("call-screen")).toHaveAttribute("data-key-generation", "0");
  }
  await Promise.all(everyone.flatMap((person) => [0, 1].map((i) => expectDecoding(person.page.getByTestId("call-tile").nth(i), 15))));

  // Carol leaves: one of the two who stay makes a new key, and both send with it shortly after.
  await carol.page.getByRole("button", { name: "Leave call" }).click();
  await expect(carol.page.getByTestId("call-over")).toBeVisible({ timeout: 20_000 });
  for (const person of [alice, bob]) {
    await expect(person.page.getByTestId("call-tile")).toHaveCount(1, { timeout: 40_000 });
    await expect(person.page.getByTestId("call-screen")).toHaveAttribute("data-key-generation", "1", { timeout: 30_000 });
  }
  // After the switch, both still decode each other, and nobody is flagged.
  await Promise.all([alice, bob].map((person) => expectDecoding(person.page.getByTestId("call-tile"))));
  for (const person of [alice, bob]) await expect(person.page.getByTestId("call-undecryptable")).toHaveCount(0);

  // Carol comes back to the room with a fresh token and the one key she ever held: the call's first.
  const carolKeys = await callKeysSeen(carol);
  expect(new Set(carolKeys.map((key) => key.join(","))).size, "Carol's browser held exactly one call key").toBe(1);
  const carolAgain = await joinRoomWithKey(carol.page, room, carolKeys[0]!);
  // Alice's and Bob's video reaches her browser, and not one frame of it decrypts.
  await expect.poll(async () => (await carolAgain.received()).tracks, { timeout: 30_000 }).toBe(2);
  await expect.poll(async () => (await carolAgain.received()).bytes, { timeout: 30_000 }).toBeGreaterThan(50_000);
  await expect.poll(async () => (await carolAgain.received()).errors, { timeout: 20_000 }).toBeGreaterThan(0);
  expect((await carolAgain.received()).frames).toBe(0);
  // Meanwhile Alice and Bob keep decoding each other.
  await Promise.all([
    expectDecoding(alice.page.locator(`[data-testid="call-tile"][data-handle="${bob.account.handle}"]`)),
    expectDecoding(bob.page.locator(`[data-testid="call-tile"][data-handle="${alice.account.handle}"]`)),
  ]);
  expect((await carolAgain.received()).frames).toBe(0);

  await bob.page.getByRole("button", { name: "Leave call" }).click();
  await alice.page.getByRole("button", { name: "Leave call" }).click();
  for (const person of [alice, bob]) await expect(person.page.getByTestId("call-over")).toBeVisible({ timeout: 20_000 });
  for (const person of everyone) await leave(person);
});

test("a person shares their screen in a call: it decodes on the other side in a tile of its own, and the cameras keep decoding after it stops; grid and speaker views", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const [alice, bob] = await Promise.all([signUpPerson(browser, baseURL), signUpPerson(browser, baseURL)]);
  // Bob follows Alice: a call from someone not followed would not ring (a message request stays silent).
  await follow(bob, alice.account.handle);
  await Promise.all([setUpMessages(alice.page), setUpMessages(bob.page)]);
  await allowLivekit([alice, bob]);
  await openConversation(alice.page, bob.account.handle);
  const room = await startCall(alice.page, "video");
  await acceptRinging(bob, room);
  const aliceSeesBob = alice.page.getByTestId("call-tile");
  const bobSeesAlice = bob.page.getByTestId("call-tile");
  await Promise.all([expectDecoding(aliceSeesBob), expectDecoding(bobSeesAlice)]);

  // Alice shares her screen: Bob gets it as a tile of its own, encrypted, and it decodes.
  const share = alice.page.getByTestId("call-screen-share-button");
  await expect(share).toHaveAttribute("aria-pressed", "false");
  await share.click();
  await expect(share).toHaveAttribute("aria-pressed", "true", { timeout: 20_000 });
  await expect(share).toHaveAttribute("title", "Stop sharing");
  await expect(alice.page.getByTestId("call-screen-share-local")).toBeVisible();
  const bobSeesScreen = bob.page.getByTestId("call-screen-share");
  await expect(bobSeesScreen).toHaveCount(1, { timeout: 30_000 });
  await expect(bobSeesScreen).toHaveAttribute("data-encrypted", "true", { timeout: 20_000 });
  await expectDecoding(bobSeesScreen, 10);
  await expect(bob.page.getByTestId("call-tile")).toHaveCount(1);

  // She stops: the screen's tile goes, and both cameras still decrypt and decode (client-sdk-js #973).
  await share.click();
  await expect(share).toHaveAttribute("aria-pressed", "false", { timeout: 20_000 });
  await expect(bobSeesScreen).toHaveCount(0, { timeout: 30_000 });
  await Promise.all([expectDecoding(aliceSeesBob), expectDecoding(bobSeesAlice)]);
  for (const page of [alice.page, bob.page]) {
    await expect(page.getByTestId("call-undecryptable")).toHaveCount(0);
    await expect(page.getByTestId("call-error")).toHaveCount(0);
  }

  // Speaker view, chosen with the keyboard: Bob large. (Not checked across a reload: reloading a live
  // call page re-acquires the camera, which the fake device refused at times in CI, ending the call.)
  await expect(alice.page.getByTestId("call-screen")).toHaveAttribute("data-view", "grid");
  await expect(alice.page.getByTestId("call-view-grid")).toHaveAttribute("aria-pressed", "true");
  await alice.page.getByTestId("call-view-speaker").focus();
  await alice.page.keyboard.press("Enter");
  await expect(alice.page.getByTestId("call-screen")).toHaveAttribute("data-view", "speaker");
  await expect(alice.page.getByTestId("call-view-speaker")).toHaveAttribute("aria-pressed", "true");
  await expect(aliceSeesBob).toHaveAttribute("data-featured", "true");
  await expectAccessible(alice.page);
  await expectDecoding(aliceSeesBob);
  // Back to the grid with the space bar.
  await alice.page.getByTestId("call-view-grid").focus();
  await alice.page.keyboard.press("Space");
  await expect(alice.page.getByTestId("call-screen")).toHaveAttribute("data-view", "grid");
  await expect(aliceSeesBob).toHaveAttribute("data-featured", "false");

  await alice.page.getByRole("button", { name: "Leave call" }).click();
  for (const page of [alice.page, bob.page]) await expect(page.getByTestId("call-over")).toBeVisible({ timeout: 20_000 });
  await leave(alice);
  await leave(bob);
});
