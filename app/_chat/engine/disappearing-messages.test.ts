// Disappearing messages and view-once photos through the ChatEngine façade against the fake chat
// API, with one injected clock for every device: the timer's announcement and convergence, each
// message deleted at its own expiry on every device (its files' local copies too), the expiry the
// server is given, the sweep at start, and a view-once photo opened once. fake-indexeddb stands in
// for IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import type { ChatEngine } from "./chat-engine";
import type { ChatSession } from "./chat-session";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { fakePhoto } from "./testing/fake-media-tools";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine } from "./testing/test-engine";
import type { MessageRecord } from "./records";
import type { ChatMessage } from "./types";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const MINUTE = 60_000;

/** A clock the test moves; every device of a test reads it. */
function testClock() {
  let at = Date.now();
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

const sessionOf = (engine: ChatEngine) => engine["session"] as ChatSession;
const messageWith = (engine: ChatEngine, conversationId: string, body: string): ChatMessage | undefined =>
  engine.messages(conversationId).messages.find((m) => m.body === body);
const timerOf = (engine: ChatEngine, conversationId: string) => engine.getSnapshot().conversations.find((c) => c.id === conversationId)?.disappearingSeconds;
const timerNotices = (engine: ChatEngine, conversationId: string) =>
  engine
    .messages(conversationId)
    .notices.filter((n) => n.kind === "timer-changed")
    .map((n) => [n.actor?.handle ?? "me", n.detail]);
async function localBytes(engine: ChatEngine, attachmentId: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of sessionOf(engine).ctx.storage.readAttachmentChunks(attachmentId)) bytes += chunk.length;
  return bytes;
}

/** Alice (laptop, phone) and Bob (desktop, phone), every device on the same injected clock, the conversation loaded everywhere. */
async function twoPeopleFourDevices(server: FakeChatServer, clock: ReturnType<typeof testClock>) {
  const options = { now: clock.now };
  const [alice, bob] = await Promise.all([
    readyTestEngine(server, server.createAccount("alice"), "laptop", options),
    readyTestEngine(server, server.createAccount("bob"), "desktop", options),
  ]);
  // People who follow each other: their first messages are no message requests.
  server.followEachOther(alice.person, bob.person);
  const [alicePhone, bobPhone] = await Promise.all([linkTestEngine(server, alice, "phone", options), linkTestEngine(server, bob, "phone", options)]);
  await alice.engine.openConversation("bob");
  const aliceId = alice.person.userId;
  const bobId = bob.person.userId;
  const views: [TestEngine, string][] = [
    [alice, bobId],
    [alicePhone, bobId],
    [bob, aliceId],
    [bobPhone, aliceId],
  ];
  await Promise.all(views.map(([device, conversationId]) => device.engine.loadOlder(conversationId)));
  return { alice, alicePhone, bob, bobPhone, aliceId, bobId, views };
}

describe("disappearing messages", () => {
  it("announces the timer on every device, and deletes a message sent under it from all four at its expiry: thread, last line, search", async () => {
    const server = new FakeChatServer();
    const clock = testClock();
    const { alice, bobPhone, bobId, aliceId, views } = await twoPeopleFourDevices(server, clock);

    await alice.engine.sendText(bobId, "this one stays");
    await alice.engine.setDisappearingTimer(bobId, 5 * 60);
    for (const [device, conversationId] of views) {
      await until(() => timerOf(device.engine, conversationId) === 300 && timerNotices(device.engine, conversationId).length === 1);
      const actor = device.person.userId === aliceId ? "me" : "alice";
      expect(timerNotices(device.engine, conversationId)).toEqual([[actor, "300"]]);
    }

    await bobPhone.engine.sendText(aliceId, "gone in five minutes");
    const sent = messageWith(bobPhone.engine, aliceId, "gone in five minutes")!;
    expect(sent.expiresAt).toBe(sent.sentAt + 5 * MINUTE);
    for (const [device, conversationId] of views)
      await until(() => messageWith(device.engine, conversationId, "gone in five minutes")?.expiresAt === sent.expiresAt);
    // The server was told to delete every copy then, delivered or not.
    expect(server.sends.find((s) => s.clientMessageId === sent.id)!.expiresInSeconds.every((seconds) => seconds === 300)).toBe(true);

    clock.advance(5 * MINUTE - 1_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const [device, conversationId] of views) expect(messageWith(device.engine, conversationId, "gone in five minutes")).toBeDefined();

    clock.advance(2_000);
    for (const [device, conversationId] of views) {
      await until(() => !messageWith(device.engine, conversationId, "gone in five minutes"));
      await until(() => device.engine.getSnapshot().conversations.find((c) => c.id === conversationId)?.lastMessage?.body === "this one stays");
      expect(await device.engine.search("five minutes")).toEqual([]);
      expect(await sessionOf(device.engine).ctx.storage.getMessage(sent.id)).toBeUndefined();
    }
    expect(messageWith(alice.engine, bobId, "this one stays")).toBeDefined();
  });

  it("keeps each message's own expiry when the timer changes, and a device started later sweeps what expired while it was closed", async () => {
    const server = new FakeChatServer();
    const clock = testClock();
    const { alice, bob, bobId, aliceId } = await twoPeopleFourDevices(server, clock);

    await alice.engine.setDisappearingTimer(bobId, 60 * 60);
    await alice.engine.sendText(bobId, "an hour");
    await alice.engine.setDisappearingTimer(bobId, 5 * 60);
    await alice.engine.sendText(bobId, "five minutes");
    await alice.engine.setDisappearingTimer(bobId, 0);
    await alice.engine.sendText(bobId, "for ever");
    await until(() => ["an hour", "five minutes", "for ever"].every((body) => messageWith(bob.engine, aliceId, body)));
    await until(() => timerOf(bob.engine, aliceId) === 0);
    expect(messageWith(bob.engine, aliceId, "for ever")!.expiresAt).toBeNull();

    clock.advance(6 * MINUTE);
    await until(() => !messageWith(bob.engine, aliceId, "five minutes") && !messageWith(alice.engine, bobId, "five minutes"));
    expect(messageWith(bob.engine, aliceId, "an hour")).toBeDefined();

    // Bob's desktop closes; the hour passes; it deletes the message as it starts again.
    const hourId = messageWith(bob.engine, aliceId, "an hour")!.id;
    bob.engine.stop();
    clock.advance(60 * MINUTE);
    const again = startTestEngine(server, bob.person, "desktop", { now: clock.now });
    await statusOf(again.engine, "ready");
    await until(async () => (await sessionOf(again.engine).ctx.storage.getMessage(hourId)) === undefined);
    await again.engine.loadOlder(aliceId);
    expect(again.engine.messages(aliceId).messages.map((m) => m.body)).toEqual(["for ever"]);
  });

  it("converges when both people change the timer at once: the later change wins on every device, both are announced", async () => {
    const server = new FakeChatServer();
    const clock = testClock();
    const { alice, bob, bobId, aliceId, views } = await twoPeopleFourDevices(server, clock);

    const aliceChange = alice.engine.setDisappearingTimer(bobId, 24 * 60 * 60);
    clock.advance(1);
    await Promise.all([aliceChange, bob.engine.setDisappearingTimer(aliceId, 7 * 24 * 60 * 60)]);
    for (const [device, conversationId] of views) {
      await until(() => device.engine.messages(conversationId).notices.filter((n) => n.kind === "timer-changed").length === 2);
      expect(timerOf(device.engine, conversationId)).toBe(7 * 24 * 60 * 60);
    }
  });

  it("deletes a file's local copies at expiry, and gives the server the file's expiry", async () => {
    const server = new FakeChatServer();
    const clock = testClock();
    const { alice, bob, bobPhone, alicePhone, bobId, aliceId } = await twoPeopleFourDevices(server, clock);

    await alice.engine.setDisappearingTimer(bobId, 60 * 60);
    await alice.engine.sendFiles(bobId, [fakePhoto({ width: 800, height: 600 })], "beach");
    const copies: [ChatEngine, string][] = [
      [alice.engine, bobId],
      [alicePhone.engine, bobId],
      [bob.engine, aliceId],
      [bobPhone.engine, aliceId],
    ];
    const localIds: [ChatEngine, string][] = [];
    for (const [engine, conversationId] of copies) {
      await until(() => messageWith(engine, conversationId, "beach")?.attachments[0]?.status === "downloaded");
      const file = messageWith(engine, conversationId, "beach")!.attachments[0]!;
      expect(await localBytes(engine, file.id)).toBeGreaterThan(0);
      localIds.push([engine, file.id]);
    }
    expect(server.sends.length).toBeGreaterThan(0);

    clock.advance(61 * MINUTE);
    for (const [engine, conversationId] of copies) await until(() => !messageWith(engine, conversationId, "beach"));
    for (const [engine, localId] of localIds) expect(await localBytes(engine, localId)).toBe(0);
  });

  it("tells the server when an uploaded file of a disappearing message expires", async () => {
    const server = new FakeChatServer();
    const clock = testClock();
    const [alice, bob] = await Promise.all([
      readyTestEngine(server, server.createAccount("alice"), "laptop", { now: clock.now }),
      readyTestEngine(server, server.createAccount("bob"), "desktop", { now: clock.now }),
    ]);
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(alice.person, bob.person);
    await alice.engine.openConversation("bob");
    // Bob's device is gone from the stream: the blob waits on the server.
    bob.engine.stop();
    await alice.engine.setDisappearingTimer(bob.person.userId, 8 * 60 * 60);
    await alice.engine.sendFiles(bob.person.userId, [fakePhoto({ width: 800, height: 600 })], "");
    await until(() => server.attachments().length === 1 && server.attachments()[0]!.received === server.attachments()[0]!.size);
    expect(server.attachments()[0]!.expiresInSeconds).toBe(8 * 60 * 60);
  });
});

describe("disappearing messages in a group", () => {
  it("any member sets the timer for every member, and a message sent under it goes from every member's device", async () => {
    const server = new FakeChatServer();
    const clock = testClock();
    const [alice, bob, carol] = await Promise.all(
      ["alice", "bob", "carol"].map((handle) => readyTestEngine(server, server.createAccount(handle), "laptop", { now: clock.now })),
    );
    for (const member of [bob!, carol!]) {
      server.follow(alice!.person, member.person);
      server.follow(member.person, alice!.person);
    }
    const groupId = await alice!.engine.createGroup({ name: "Trip", description: "", memberIds: [bob!.person.userId, carol!.person.userId] });
    const everyone = [alice!, bob!, carol!];
    for (const member of everyone) {
      await until(() => member.engine.getSnapshot().conversations.some((c) => c.id === groupId && c.kind === "group" && c.group.membership === "member"));
      await member.engine.loadOlder(groupId);
    }

    // Bob is no admin, and still sets it.
    await bob!.engine.setDisappearingTimer(groupId, 60 * 60);
    for (const member of everyone) await until(() => timerOf(member.engine, groupId) === 3600 && timerNotices(member.engine, groupId).length === 1);
    expect(timerNotices(alice!.engine, groupId)).toEqual([["bob", "3600"]]);

    await carol!.engine.sendText(groupId, "an hour in the group");
    for (const member of everyone) await until(() => messageWith(member.engine, groupId, "an hour in the group") !== undefined);
    clock.advance(61 * MINUTE);
    for (const member of everyone) await until(() => messageWith(member.engine, groupId, "an hour in the group") === undefined);
  });
});

describe("view-once photos", () => {
  it("opens once on one of the reader's devices, then is gone from both, and the sender sees it opened", async () => {
    const server = new FakeChatServer();
    const clock = testClock();
    const { alice, alicePhone, bob, bobPhone, bobId, aliceId } = await twoPeopleFourDevices(server, clock);

    await alice.engine.sendFiles(bobId, [fakePhoto({ width: 800, height: 600 })], "", { viewOnce: true });
    const placeholder = (engine: ChatEngine, conversationId: string) => engine.messages(conversationId).messages.find((m) => m.viewOnce);
    for (const [engine, conversationId] of [
      [bob.engine, aliceId],
      [bobPhone.engine, aliceId],
    ] as const) {
      await until(() => placeholder(engine, conversationId)?.attachments[0]?.status === "downloaded");
      // No thumbnail travels with it: it would show the photo.
      expect(placeholder(engine, conversationId)).toMatchObject({ viewOnce: { opened: false }, attachments: [{ thumbnailUrl: null }] });
    }
    await until(() => placeholder(alicePhone.engine, bobId) !== undefined);
    const messageId = placeholder(bob.engine, aliceId)!.id;
    const bobPhoneFile = placeholder(bobPhone.engine, aliceId)!.attachments[0]!.id;

    const photo = await bob.engine.openViewOnce(messageId);
    expect(new TextDecoder().decode(new Uint8Array(await photo.arrayBuffer()).subarray(0, 8))).toBe("FAKEJPEG");
    await expect(bob.engine.openViewOnce(messageId)).rejects.toMatchObject({ code: "chat_attachment_gone" });
    // Gone on Bob's phone too, copy and key; the sender's devices show it opened.
    await until(() => placeholder(bobPhone.engine, aliceId)?.viewOnce?.opened === true);
    expect(await localBytes(bobPhone.engine, bobPhoneFile)).toBe(0);
    await expect(bobPhone.engine.openViewOnce(messageId)).rejects.toMatchObject({ code: "chat_attachment_gone" });
    const stored = await sessionOf(bobPhone.engine).ctx.storage.getMessage<MessageRecord>(messageId);
    expect(stored!.attachments![0]!.blob).toBeUndefined();
    await until(() => placeholder(alice.engine, bobId)?.viewOnce?.opened === true);
    await until(() => placeholder(alicePhone.engine, bobId)?.viewOnce?.opened === true);
    // Every device is done with the blob: the server deleted it.
    await until(() => server.attachments().length === 0);
  });
});
