// Reactions, replies, edits and deletion, read receipts and typing, through the ChatEngine façade
// against the fake chat API: every device of every member applies them (the other person's and
// the sender's own other device), in 1:1 and in a group; edits after 24 hours, edits claiming a
// time outside the window, and edits or deletions from anyone but the author change nothing; an
// action that overtakes its message is applied when the message arrives; read receipts and typing
// switched off are neither sent nor shown.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import type { ChatEngine } from "./chat-engine";
import type { ChatSession } from "./chat-session";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { fakePhoto } from "./testing/fake-media-tools";
import { withEdit, withReaction } from "./message-actions";
import { messageRecord } from "./message-record";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine, type TestEngineOptions } from "./testing/test-engine";
import { EDIT_WINDOW_MS, type ChatMessage, type GroupConversationSummary } from "./types";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

/** The running session behind the façade: only to forge what an honest device never sends, and to read its storage. */
const sessionOf = (engine: ChatEngine) => engine["session"] as ChatSession;
const find = (engine: ChatEngine, conversationId: string, id: string): ChatMessage | undefined =>
  engine.messages(conversationId).messages.find((m) => m.id === id);
const byBody = (engine: ChatEngine, conversationId: string, body: string): ChatMessage | undefined =>
  engine.messages(conversationId).messages.find((m) => m.body === body);
const reactionsOf = (message: ChatMessage | undefined) => message?.reactions.map((r) => [r.emoji, r.people.length]) ?? [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Pair {
  alice: TestEngine;
  alicePhone: TestEngine;
  bob: TestEngine;
  bobPhone: TestEngine;
}

/** Alice and Bob with two devices each, their conversation loaded on all four. */
async function twoPeopleFourDevices(server: FakeChatServer, options: { alice?: TestEngineOptions } = {}): Promise<Pair> {
  const [alice, bob] = await Promise.all([
    readyTestEngine(server, server.createAccount("alice"), "laptop", options.alice),
    readyTestEngine(server, server.createAccount("bob"), "desktop"),
  ]);
  // People who follow each other: their first messages are no message requests.
  server.followEachOther(alice.person, bob.person);
  const [alicePhone, bobPhone] = await Promise.all([linkTestEngine(server, alice, "phone"), linkTestEngine(server, bob, "phone")]);
  await alice.engine.openConversation("bob");
  const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
  await Promise.all([alice.engine.loadOlder(bobId), alicePhone.engine.loadOlder(bobId), bob.engine.loadOlder(aliceId), bobPhone.engine.loadOlder(aliceId)]);
  return { alice, alicePhone, bob, bobPhone };
}

/** Sends a text from `from` and waits until it is on every one of `everywhere`; returns its id. */
async function sent(from: TestEngine, conversationId: string, body: string, everywhere: { engine: ChatEngine; conversationId: string }[], replyTo?: string) {
  await from.engine.sendText(conversationId, body, replyTo);
  const id = byBody(from.engine, conversationId, body)!.id;
  for (const e of everywhere) await until(() => !!find(e.engine, e.conversationId, id));
  return id;
}

describe("message actions in 1:1", () => {
  it("shows replies, reactions, edits with their history, and deletion on the other person's devices and the author's own other device", async () => {
    const server = new FakeChatServer();
    const { alice, alicePhone, bob, bobPhone } = await twoPeopleFourDevices(server);
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    const everyone = [
      { engine: alice.engine, conversationId: bobId },
      { engine: alicePhone.engine, conversationId: bobId },
      { engine: bob.engine, conversationId: aliceId },
      { engine: bobPhone.engine, conversationId: aliceId },
    ];
    const question = await sent(alice, bobId, "Dinner at 7?", everyone);
    const answer = await sent(bob, aliceId, "Yes!", everyone, question);
    for (const e of everyone) {
      expect(find(e.engine, e.conversationId, answer)!.replyTo).toMatchObject({ id: question, body: "Dinner at 7?", status: "shown" });
    }
    // The quoted author: "you" (null) on Alice's devices, Alice on Bob's.
    expect(find(alicePhone.engine, bobId, answer)!.replyTo!.author).toBeNull();
    expect(find(bobPhone.engine, aliceId, answer)!.replyTo!.author).toMatchObject({ handle: "alice" });

    // Reactions: one per person, changeable and removable, counted on every device.
    await bob.engine.react(question, "👍");
    await alice.engine.react(question, "👍");
    for (const e of everyone) await until(() => JSON.stringify(reactionsOf(find(e.engine, e.conversationId, question))) === JSON.stringify([["👍", 2]]));
    expect(find(bobPhone.engine, aliceId, question)!.reactions[0]!.mine).toBe(true);
    await bobPhone.engine.react(question, "❤️");
    for (const e of everyone) {
      await until(() => reactionsOf(find(e.engine, e.conversationId, question)).length === 2);
      expect(reactionsOf(find(e.engine, e.conversationId, question)).sort()).toEqual([
        ["❤️", 1],
        ["👍", 1],
      ]);
    }
    await alice.engine.react(question, null);
    for (const e of everyone) await until(() => JSON.stringify(reactionsOf(find(e.engine, e.conversationId, question))) === JSON.stringify([["❤️", 1]]));

    // An edit: the new text everywhere, marked by its history; the reply quotes the new text.
    await alice.engine.editMessage(question, "Dinner at 8?");
    for (const e of everyone) {
      await until(() => find(e.engine, e.conversationId, question)!.body === "Dinner at 8?");
      expect(find(e.engine, e.conversationId, question)!.edits.map((v) => v.body)).toEqual(["Dinner at 7?"]);
      expect(find(e.engine, e.conversationId, answer)!.replyTo!.body).toBe("Dinner at 8?");
    }
    expect(await bob.engine.editMessage(question, "mine now").catch((e: unknown) => e)).toMatchObject({ code: "chat_not_yours" });

    // Deleted for everyone: its text, reactions and history gone on all four; the reply says so.
    await alice.engine.deleteForEveryone(question);
    for (const e of everyone) {
      await until(() => !!find(e.engine, e.conversationId, question)?.deleted);
      expect(find(e.engine, e.conversationId, question)).toMatchObject({ body: "", reactions: [], edits: [] });
      expect(find(e.engine, e.conversationId, answer)!.replyTo!.status).toBe("deleted");
    }
    expect(await bob.engine.deleteForEveryone(question).catch((e: unknown) => e)).toMatchObject({ code: "chat_not_yours" });
    // None of it moved the conversation or made it unread; the deleted line shows as deleted only when it is the last one.
    const summary = bob.engine.getSnapshot().conversations[0]!;
    expect(summary.lastMessage).toMatchObject({ body: "Yes!", deleted: false });
    const unreadBefore = alice.engine.getSnapshot().conversations[0]!.unread;
    await bob.engine.deleteForEveryone(answer);
    await until(() => !!alice.engine.getSnapshot().conversations[0]?.lastMessage?.deleted);
    expect(alice.engine.getSnapshot().conversations[0]!.unread).toBe(unreadBefore);
  });

  it("refuses an edit after 24 hours on the author's device, and ignores forged or out-of-window edits and deletions on every device", async () => {
    const server = new FakeChatServer();
    let clock = Date.now();
    const { alice, alicePhone, bob, bobPhone } = await twoPeopleFourDevices(server, { alice: { now: () => clock } });
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    const others = [
      { engine: alicePhone.engine, conversationId: bobId },
      { engine: bob.engine, conversationId: aliceId },
      { engine: bobPhone.engine, conversationId: aliceId },
    ];
    const id = await sent(alice, bobId, "original", others);
    const { sentAt } = find(alice.engine, bobId, id)!;

    // Bob's device claims Alice's message (in their own conversation): everyone ignores it.
    await sessionOf(bob.engine).sendToConversation(aliceId, { t: "edit", messageId: id, body: "forged by Bob", editedAt: Date.now() });
    await sessionOf(bob.engine).sendToConversation(aliceId, { t: "delete", messageId: id });
    // Alice's own device claims an edit 25 hours after sending (a clock set forward, or a modified client).
    await sessionOf(alice.engine).sendToConversation(bobId, { t: "edit", messageId: id, body: "too late", editedAt: sentAt + EDIT_WINDOW_MS + 3_600_000 });
    // A marker sent after both, so that once it is everywhere the forgeries have been handled.
    await sent(alice, bobId, "marker", others);
    for (const e of [{ engine: alice.engine, conversationId: bobId }, ...others]) {
      expect(find(e.engine, e.conversationId, id)).toMatchObject({ body: "original", edits: [], deleted: false });
    }

    clock += EDIT_WINDOW_MS + 1;
    expect(await alice.engine.editMessage(id, "a day later").catch((e: unknown) => e)).toMatchObject({ code: "chat_edit_too_late" });
    expect(find(alice.engine, bobId, id)!.body).toBe("original");
  });

  it("deletes a message's downloaded files on every device when it is deleted for everyone", async () => {
    const server = new FakeChatServer();
    const { alice, alicePhone, bob, bobPhone } = await twoPeopleFourDevices(server);
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    await alice.engine.sendFiles(bobId, [fakePhoto({ width: 800, height: 600 })], "the view");
    const id = byBody(alice.engine, bobId, "the view")!.id;
    const receivers = [
      { engine: alicePhone.engine, conversationId: bobId },
      { engine: bob.engine, conversationId: aliceId },
      { engine: bobPhone.engine, conversationId: aliceId },
    ];
    for (const e of receivers) await until(() => find(e.engine, e.conversationId, id)?.attachments[0]?.status === "downloaded");
    const localIds = [alice, ...receivers].map((e) => find(e.engine, "conversationId" in e ? e.conversationId : bobId, id)!.attachments[0]!.id);

    await alice.engine.deleteForEveryone(id);
    for (const e of receivers) await until(() => !!find(e.engine, e.conversationId, id)?.deleted);
    const engines = [alice.engine, ...receivers.map((e) => e.engine)];
    for (const [i, engine] of engines.entries()) {
      await until(async () => {
        for await (const _piece of sessionOf(engine).ctx.storage.readAttachmentChunks(localIds[i]!)) return false;
        return true;
      });
      expect(find(engine, i === 0 ? bobId : receivers[i - 1]!.conversationId, id)!.attachments).toEqual([]);
    }

    // Delete for me: gone from this device only.
    const kept = await sent(bob, aliceId, "keep this", [{ engine: alice.engine, conversationId: bobId }]);
    await alice.engine.deleteForMe(kept);
    expect(find(alice.engine, bobId, kept)).toBeUndefined();
    expect(await sessionOf(alice.engine).ctx.storage.getMessage(kept)).toBeUndefined();
    expect(find(bob.engine, aliceId, kept)!.deleted).toBe(false);
  });

  it("keeps a reaction that overtakes its message, and applies it when the message arrives", async () => {
    const server = new FakeChatServer();
    const { alice, alicePhone, bob } = await twoPeopleFourDevices(server);
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    const phoneRow = (await alicePhone.engine.devices()).find((d) => d.current)!.rowId;
    alicePhone.engine.stop();
    const id = await sent(alice, bobId, "on the laptop", [{ engine: bob.engine, conversationId: aliceId }]);
    await bob.engine.react(id, "😂");
    // Everything is queued for the phone once the laptop shows the reaction and has Bob's receipt (sent before it).
    await until(() => reactionsOf(find(alice.engine, bobId, id)).length === 1 && find(alice.engine, bobId, id)!.state === "delivered");
    // The phone gets Bob's reaction before its own copy of the message (they come from different devices).
    (server["queues"] as Map<string, unknown[]>).get(phoneRow)!.reverse();

    const phone = startTestEngine(server, alice.person, "phone");
    await statusOf(phone.engine, "ready");
    await phone.engine.loadOlder(bobId);
    await until(() => JSON.stringify(reactionsOf(find(phone.engine, bobId, id))) === JSON.stringify([["😂", 1]]));
  });
});

describe("read receipts and typing", () => {
  it("shows Read once the other person has seen a message, and nothing is sent or shown while receipts are off", async () => {
    const server = new FakeChatServer();
    const { alice, alicePhone, bob } = await twoPeopleFourDevices(server);
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    const first = await sent(alice, bobId, "first", [{ engine: bob.engine, conversationId: aliceId }]);
    await until(() => find(alice.engine, bobId, first)!.state === "delivered");
    expect(find(alice.engine, bobId, first)!.read).toEqual({ count: 0, total: 1 });
    await bob.engine.markRead(aliceId);
    // On the sender's other device too.
    for (const engine of [alice.engine, alicePhone.engine]) await until(() => find(engine, bobId, first)!.read?.count === 1);

    // Bob switches read receipts off: reading sends nothing.
    await bob.engine.setChatSettings({ readReceipts: false });
    const second = await sent(alice, bobId, "second", [{ engine: bob.engine, conversationId: aliceId }]);
    await until(() => find(alice.engine, bobId, second)!.state === "delivered");
    const sendsBefore = server.sends.length;
    const aliceDevices = (await alice.engine.devices()).map((d) => d.rowId);
    await bob.engine.markRead(aliceId);
    // Only Bob's own phone is told (that it was read here); nothing goes to Alice.
    await until(async () => (await sessionOf(bob.engine).ctx.storage.listOutbox()).length === 0);
    await sleep(200);
    expect(
      server.sends
        .slice(sendsBefore)
        .flatMap((s) => s.deviceRowIds)
        .filter((id) => aliceDevices.includes(id)),
    ).toEqual([]);
    expect(await sessionOf(bob.engine).ctx.storage.listOutbox()).toEqual([]);
    expect(find(alice.engine, bobId, second)!.read).toEqual({ count: 0, total: 1 });
    // And Bob no longer sees Alice's receipts for his own messages.
    expect(find(bob.engine, aliceId, first)!.read).toBeNull();

    // Alice switches hers off: Bob's earlier receipt no longer shows on her laptop.
    await alice.engine.setChatSettings({ readReceipts: false });
    expect(find(alice.engine, bobId, first)!.read).toBeNull();
    expect(alice.engine.getSnapshot().settings).toEqual({ readReceipts: false, typingIndicators: true });
  });

  it("syncs reading and delete-for-me to the person's own other devices, and to no one else", async () => {
    const server = new FakeChatServer();
    const { alice, alicePhone, bob, bobPhone } = await twoPeopleFourDevices(server);
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    const unreadOf = (engine: ChatEngine) => engine.getSnapshot().conversations.find((c) => c.id === aliceId)?.unread;
    const everywhere = [bob, bobPhone].map((d) => ({ engine: d.engine, conversationId: aliceId }));
    const first = await sent(alice, bobId, "first", everywhere);
    const second = await sent(alice, bobId, "second", everywhere);
    await until(() => unreadOf(bob.engine) === 2 && unreadOf(bobPhone.engine) === 2);

    // Read on the desktop: the phone no longer counts them, and sends no receipt of its own.
    await bob.engine.markRead(aliceId);
    await until(() => unreadOf(bobPhone.engine) === 0);
    for (const id of [first, second]) await until(() => find(alice.engine, bobId, id)!.read?.count === 1);
    await sleep(200);
    expect(await sessionOf(bobPhone.engine).ctx.storage.listOutbox()).toEqual([]);
    // A later message is unread on both again.
    await sent(alice, bobId, "third", everywhere);
    await until(() => unreadOf(bob.engine) === 1 && unreadOf(bobPhone.engine) === 1);

    // Deleted for me on the phone: gone from Bob's desktop too, still there for Alice.
    await bobPhone.engine.deleteForMe(first);
    expect(find(bobPhone.engine, aliceId, first)).toBeUndefined();
    await until(() => find(bob.engine, aliceId, first) === undefined);
    await sleep(200);
    for (const engine of [alice.engine, alicePhone.engine]) expect(find(engine, bobId, first)?.body).toBe("first");
    expect(find(bob.engine, aliceId, second)?.body).toBe("second");
  });

  it("shows who is typing for a moment, never stores it or makes the conversation unread, and sends nothing while typing indicators are off", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await twoPeopleFourDevices(server);
    const [aliceId, bobId] = [alice.person.userId, bob.person.userId];
    await alice.engine.setTyping(bobId, true);
    await until(() => bob.engine.getSnapshot().typing[aliceId]?.[0]?.handle === "alice");
    expect(bob.engine.getSnapshot().conversations.find((c) => c.id === aliceId)?.unread ?? 0).toBe(0);
    await alice.engine.setTyping(bobId, false);
    await until(() => !bob.engine.getSnapshot().typing[aliceId]);

    // Off on Alice's side: nothing leaves her device.
    await alice.engine.setChatSettings({ typingIndicators: false });
    const sendsBefore = server.sends.length;
    await alice.engine.setTyping(bobId, true);
    await sleep(200);
    expect(server.sends.length).toBe(sendsBefore);
    expect(await sessionOf(alice.engine).ctx.storage.listOutbox()).toEqual([]);

    // Off on Bob's side: Alice's (on again) are not shown.
    await alice.engine.setChatSettings({ typingIndicators: true });
    await bob.engine.setChatSettings({ typingIndicators: false });
    await alice.engine.setTyping(bobId, true);
    const bobRow = (await bob.engine.devices()).find((d) => d.current)!.rowId;
    await until(() => server.sends.length > sendsBefore && server.pending(bobRow) === 0);
    await sleep(100);
    expect(bob.engine.getSnapshot().typing).toEqual({});
  });

  it("drops a typing signal that could not go out instead of retrying it", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await twoPeopleFourDevices(server);
    server.interrupt("envelopes.send", 1);
    await alice.engine.setTyping(bob.person.userId, true);
    await until(() => server.interrupted.length === 1);
    await until(async () => (await sessionOf(alice.engine).ctx.storage.listOutbox()).length === 0);
    alice.goOnline();
    await sleep(200);
    expect(bob.engine.getSnapshot().typing).toEqual({});
  });
});

describe("message actions in a group", () => {
  it("reaches every member's devices, counts reads per member, and takes edits only from the author", async () => {
    const server = new FakeChatServer();
    const [alice, bob, carol] = await Promise.all([
      readyTestEngine(server, server.createAccount("alice"), "laptop"),
      readyTestEngine(server, server.createAccount("bob"), "desktop"),
      readyTestEngine(server, server.createAccount("carol"), "phone"),
    ]);
    // People who follow each other: their first messages are no message requests.
    server.followEachOther(alice.person, bob.person, carol.person);
    const alicePhone = await linkTestEngine(server, alice, "phone");
    const groupId = await alice.engine.createGroup({ name: "Trip", description: "", memberIds: [bob.person.userId, carol.person.userId] });
    const inGroup = (e: TestEngine) =>
      e.engine
        .getSnapshot()
        .conversations.some((c): c is GroupConversationSummary => c.kind === "group" && c.id === groupId && c.group.membership === "member");
    for (const e of [bob, carol, alicePhone]) await until(() => inGroup(e));
    const all = [alice, alicePhone, bob, carol];
    for (const e of all) await e.engine.loadOlder(groupId);
    const everywhere = all.map((e) => ({ engine: e.engine, conversationId: groupId }));

    const plan = await sent(alice, groupId, "Leave at 9", everywhere);
    const reply = await sent(carol, groupId, "Make it 10", everywhere, plan);
    await bob.engine.react(plan, "👍");
    await carol.engine.react(plan, "👍");
    await alice.engine.editMessage(plan, "Leave at 10");
    for (const e of everywhere) {
      await until(() => JSON.stringify(reactionsOf(find(e.engine, groupId, plan))) === JSON.stringify([["👍", 2]]));
      await until(() => find(e.engine, groupId, plan)!.body === "Leave at 10");
      expect(find(e.engine, groupId, reply)!.replyTo).toMatchObject({ id: plan, body: "Leave at 10", status: "shown" });
    }
    // Carol's device claims Alice's message: nobody takes it.
    await sessionOf(carol.engine).sendToConversation(groupId, { t: "edit", messageId: plan, body: "forged", editedAt: Date.now() });
    await sent(carol, groupId, "marker", everywhere);
    for (const e of everywhere) expect(find(e.engine, groupId, plan)!.body).toBe("Leave at 10");

    // Read by each member in turn, on both of Alice's devices.
    await bob.engine.markRead(groupId);
    for (const engine of [alice.engine, alicePhone.engine]) await until(() => find(engine, groupId, plan)!.read?.count === 1);
    expect(find(alice.engine, groupId, plan)!.read).toEqual({ count: 1, total: 2 });
    await carol.engine.markRead(groupId);
    for (const engine of [alice.engine, alicePhone.engine]) await until(() => find(engine, groupId, plan)!.read?.count === 2);

    await carol.engine.setTyping(groupId, true);
    for (const e of [alice, alicePhone, bob]) await until(() => e.engine.getSnapshot().typing[groupId]?.[0]?.handle === "carol");

    await alice.engine.deleteForEveryone(plan);
    for (const e of everywhere) {
      await until(() => !!find(e.engine, groupId, plan)?.deleted);
      expect(find(e.engine, groupId, reply)!.replyTo!.status).toBe("deleted");
    }
  });
});

describe("applying actions in any order", () => {
  const original = messageRecord({ id: crypto.randomUUID(), conversationId: crypto.randomUUID(), body: "v1", sentAt: 1_000, outgoing: false });

  it("ends with the same text and history whichever edit arrives first", () => {
    const forward = withEdit(withEdit(original, "v2", 2_000)!, "v3", 3_000)!;
    const backward = withEdit(withEdit(original, "v3", 3_000)!, "v2", 2_000)!;
    for (const record of [forward, backward]) {
      expect(record.body).toBe("v3");
      expect(record.edits).toEqual([
        { body: "v1", at: 1_000 },
        { body: "v2", at: 2_000 },
      ]);
    }
    expect(withEdit(forward, "v3 again", 3_000)).toBeNull();
    expect(withEdit(original, "too late", 1_000 + EDIT_WINDOW_MS + 1)).toBeNull();
    expect(withEdit(original, "before it was sent", 999)).toBeNull();
  });

  it("keeps a person's latest reaction by its time, not by arrival", () => {
    const later = withReaction(original, "bob", "❤️", 20)!;
    expect(withReaction(later, "bob", "👍", 10)).toBeNull();
    expect(withReaction(later, "bob", null, 30)!.reactions).toEqual({ bob: { emoji: null, at: 30 } });
  });
});
