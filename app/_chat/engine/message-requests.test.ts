// Message requests through the ChatEngine façade against the fake chat API: a first message from
// someone not followed waits in Requests and tells its sender nothing (no delivery receipt is even
// enqueued) until accepted; the answer reaches this person's other devices, survives a restart
// and a backup; a deleted request comes back as a request; a block refuses what follows; a group
// someone not followed adds us to is a request too. fake-indexeddb stands in for IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import type { ChatEngine } from "./chat-engine";
import type { ChatSession } from "./chat-session";
import type { OutboxRecord } from "./records";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (list: readonly { id: string }[]) => list.map((c) => c.id);
const stateOf = (engine: ChatEngine, conversationId: string, body: string) => engine.messages(conversationId).messages.find((m) => m.body === body)?.state;
const bodies = (engine: ChatEngine, conversationId: string) => engine.messages(conversationId).messages.map((m) => m.body);
const deviceOf = async (engine: ChatEngine) => (await engine.devices()).find((d) => d.current)!.rowId;
/** The running session behind the façade: only to read what its outbox holds. */
const sessionOf = (engine: ChatEngine) => engine["session"] as ChatSession;
const receiptsQueued = async (engine: ChatEngine) =>
  (await sessionOf(engine).ctx.storage.listOutbox<OutboxRecord>()).filter((item) => item.content.t === "delivered");

/** Alice writes to Bob, who does not follow her; Bob follows Carol. */
async function aliceBobCarol(server: FakeChatServer): Promise<{ alice: TestEngine; bob: TestEngine; carol: TestEngine }> {
  const [alice, bob, carol] = await Promise.all([
    readyTestEngine(server, server.createAccount("alice"), "laptop"),
    readyTestEngine(server, server.createAccount("bob"), "desktop", { delays: { receiptMs: 10 } }),
    readyTestEngine(server, server.createAccount("carol"), "phone"),
  ]);
  server.follow(bob.person, carol.person);
  await alice.engine.openConversation("bob");
  await carol.engine.openConversation("bob");
  return { alice, bob, carol };
}

describe("message requests", () => {
  it("put a first message from someone not followed in Requests with no receipt sent, one from someone followed in the conversations", async () => {
    const server = new FakeChatServer();
    const { alice, bob, carol } = await aliceBobCarol(server);
    const bobId = bob.person.userId;
    const aliceDevice = await deviceOf(alice.engine);
    await alice.engine.loadOlder(bobId);
    await carol.engine.loadOlder(bobId);

    await alice.engine.sendText(bobId, "hello from a stranger");
    await carol.engine.sendText(bobId, "hello from a friend");
    await until(() => bob.engine.getSnapshot().requests.length === 1 && bob.engine.getSnapshot().conversations.length === 1);
    const snapshot = bob.engine.getSnapshot();
    expect(snapshot.requests).toEqual([
      expect.objectContaining({
        id: alice.person.userId,
        unread: 1,
        request: expect.objectContaining({ handle: "alice" }),
        lastMessage: expect.objectContaining({ body: "hello from a stranger" }),
      }),
    ]);
    expect(snapshot.conversations).toEqual([expect.objectContaining({ id: carol.person.userId, request: null })]);
    // The friend learns "delivered"; the stranger learns nothing: no receipt is queued, none sent.
    await until(() => stateOf(carol.engine, bobId, "hello from a friend") === "delivered");
    await sleep(200);
    expect(stateOf(alice.engine, bobId, "hello from a stranger")).toBe("sent");
    expect(await receiptsQueued(bob.engine)).toEqual([]);
    expect(server.sends.filter((s) => s.deviceRowIds.includes(aliceDevice))).toEqual([]);
    expect(server.followQuestions.flat().filter((id) => id === alice.person.userId)).toHaveLength(1);

    // A second message: still the request, and asked about from the cache, not the server.
    await alice.engine.sendText(bobId, "are you there?");
    await until(() => bob.engine.getSnapshot().requests[0]?.unread === 2);
    expect(server.followQuestions.flat().filter((id) => id === alice.person.userId)).toHaveLength(1);

    await bob.engine.acceptRequest(alice.person.userId);
    expect(ids(bob.engine.getSnapshot().requests)).toEqual([]);
    expect(ids(bob.engine.getSnapshot().conversations)).toContain(alice.person.userId);
    // The receipts held back go out now, for both messages.
    await until(() => stateOf(alice.engine, bobId, "hello from a stranger") === "delivered" && stateOf(alice.engine, bobId, "are you there?") === "delivered");
    await alice.engine.sendText(bobId, "thanks");
    await until(() => stateOf(alice.engine, bobId, "thanks") === "delivered");
  });

  it("are accepted on every device of the person, and stay accepted after a restart and a restore from backup", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceBobCarol(server);
    await bob.engine.enableBackup();
    const recoveryKey = bob.engine.getSnapshot().backup.pendingRecoveryKey!;
    const phone = await linkTestEngine(server, bob, "phone");
    const bobId = bob.person.userId;
    await alice.engine.sendText(bobId, "first words");
    await until(() => phone.engine.getSnapshot().requests.length === 1 && bob.engine.getSnapshot().requests.length === 1);

    // A request survives a restart as a request.
    await sleep(100);
    phone.engine.stop();
    const phoneAgain = startTestEngine(server, bob.person, "phone");
    await statusOf(phoneAgain.engine, "ready");
    expect(ids(phoneAgain.engine.getSnapshot().requests)).toEqual([alice.person.userId]);

    await bob.engine.acceptRequest(alice.person.userId);
    await until(() => phoneAgain.engine.getSnapshot().conversations.some((c) => c.id === alice.person.userId));
    expect(phoneAgain.engine.getSnapshot().requests).toEqual([]);
    await until(() => stateOf(alice.engine, bobId, "first words") === "delivered");

    // The backup carries the answer: a browser restored from it holds a conversation, not a request.
    await bob.engine.backUpNow();
    const restored = startTestEngine(server, bob.person, "restored");
    await statusOf(restored.engine, "needs-setup");
    await restored.engine.restoreFromBackup({ recoveryKey });
    expect(ids(restored.engine.getSnapshot().conversations)).toEqual([alice.person.userId]);
    expect(restored.engine.getSnapshot().requests).toEqual([]);
  });

  it("deleted on one device are gone from every device, and the next message from that person is a request again", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceBobCarol(server);
    const phone = await linkTestEngine(server, bob, "phone");
    const bobId = bob.person.userId;
    await alice.engine.loadOlder(bobId);
    await alice.engine.sendText(bobId, "buy my course");
    await until(() => phone.engine.getSnapshot().requests.length === 1 && bob.engine.getSnapshot().requests.length === 1);

    await bob.engine.deleteRequest(alice.person.userId);
    expect(bob.engine.getSnapshot().requests).toEqual([]);
    await until(() => phone.engine.getSnapshot().requests.length === 0);
    expect(phone.engine.getSnapshot().conversations).toEqual([]);
    await expect(bob.engine.deleteRequest(alice.person.userId)).rejects.toMatchObject({ code: "chat_request_unknown" });

    await alice.engine.sendText(bobId, "one more time");
    await until(() => bob.engine.getSnapshot().requests.length === 1);
    await bob.engine.loadOlder(alice.person.userId);
    expect(bodies(bob.engine, alice.person.userId)).toEqual(["one more time"]);
    expect(bob.engine.getSnapshot().conversations).toEqual([]);
    await sleep(200);
    expect(stateOf(alice.engine, bobId, "one more time")).toBe("sent");
  });

  it("opened by a stranger's timer change as their first word: the conversation is a request, and the message after it tells them nothing", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceBobCarol(server);
    const bobId = bob.person.userId;
    const aliceId = alice.person.userId;
    const aliceDevice = await deviceOf(alice.engine);
    await alice.engine.loadOlder(bobId);

    await alice.engine.setDisappearingTimer(bobId, 300);
    await until(() => bob.engine.getSnapshot().requests.length === 1);
    expect(bob.engine.getSnapshot().requests).toEqual([expect.objectContaining({ id: aliceId, request: expect.objectContaining({ handle: "alice" }) })]);
    expect(bob.engine.getSnapshot().conversations).toEqual([]);

    await alice.engine.sendText(bobId, "this will vanish");
    await until(() => bob.engine.getSnapshot().requests[0]?.unread === 1);
    expect(bob.engine.getSnapshot().conversations).toEqual([]);
    await sleep(200);
    expect(stateOf(alice.engine, bobId, "this will vanish")).toBe("sent");
    expect(await receiptsQueued(bob.engine)).toEqual([]);
    expect(server.sends.filter((s) => s.deviceRowIds.includes(aliceDevice))).toEqual([]);

    // Accepted, it is an ordinary conversation with the timer she set.
    await bob.engine.acceptRequest(aliceId);
    expect(ids(bob.engine.getSnapshot().conversations)).toEqual([aliceId]);
    await until(() => stateOf(alice.engine, bobId, "this will vanish") === "delivered");
    await bob.engine.loadOlder(aliceId);
    expect(bob.engine.messages(aliceId).messages.find((m) => m.body === "this will vanish")?.expiresAt).not.toBeNull();
  });

  it("blocked: the sender is blocked on the server, their later messages are refused and never shown", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceBobCarol(server);
    const bobId = bob.person.userId;
    await alice.engine.loadOlder(bobId);
    await alice.engine.sendText(bobId, "spam");
    await until(() => bob.engine.getSnapshot().requests.length === 1);

    await bob.engine.blockRequest(alice.person.userId);
    expect(server.blocks.has(`${bobId}/${alice.person.userId}`)).toBe(true);
    expect(bob.engine.getSnapshot().requests).toEqual([]);

    await alice.engine.sendText(bobId, "more spam");
    // Refused by the server, as any message to someone who blocked the sender: it shows failed, and never "delivered".
    await until(() => stateOf(alice.engine, bobId, "more spam") === "failed");
    expect(stateOf(alice.engine, bobId, "spam")).toBe("sent");
    await sleep(100);
    expect(bob.engine.getSnapshot().requests).toEqual([]);
    expect(bob.engine.getSnapshot().conversations).toEqual([]);
  });

  it("are answered by writing back, which accepts and sends the held receipts", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceBobCarol(server);
    const bobId = bob.person.userId;
    await alice.engine.sendText(bobId, "hi Bob");
    await until(() => bob.engine.getSnapshot().requests.length === 1);
    await bob.engine.sendText(alice.person.userId, "hi Alice");
    expect(bob.engine.getSnapshot().requests).toEqual([]);
    await until(() => stateOf(alice.engine, bobId, "hi Bob") === "delivered");
  });

  it("include a group someone not followed added us to: no receipts until accepted; deleting leaves the group", async () => {
    const server = new FakeChatServer();
    const { alice, bob, carol } = await aliceBobCarol(server);
    // Carol follows Alice, Bob does not.
    server.follow(carol.person, alice.person);
    const groupId = await alice.engine.createGroup({ name: "Offers", description: "", memberIds: [bob.person.userId, carol.person.userId] });
    await until(
      () => bob.engine.getSnapshot().requests.some((c) => c.id === groupId) && carol.engine.getSnapshot().conversations.some((c) => c.id === groupId),
    );
    expect(bob.engine.getSnapshot().requests[0]).toMatchObject({ kind: "group", request: expect.objectContaining({ userId: alice.person.userId }) });
    await alice.engine.loadOlder(groupId);
    await alice.engine.sendText(groupId, "limited offer");
    const delivered = () => alice.engine.messages(groupId).messages.find((m) => m.body === "limited offer")?.groupDelivery?.delivered;
    await until(() => delivered() === 1);
    await sleep(200);
    expect(delivered()).toBe(1);
    expect(await receiptsQueued(bob.engine)).toEqual([]);

    await bob.engine.acceptRequest(groupId);
    await until(() => delivered() === 2);
    expect(ids(bob.engine.getSnapshot().conversations)).toContain(groupId);

    // A second group from Alice, deleted: Bob leaves it, and it is gone from his list.
    const second = await alice.engine.createGroup({ name: "More offers", description: "", memberIds: [bob.person.userId] });
    await until(() => bob.engine.getSnapshot().requests.some((c) => c.id === second));
    await bob.engine.deleteRequest(second);
    expect(bob.engine.getSnapshot().requests).toEqual([]);
    expect(ids(bob.engine.getSnapshot().conversations)).not.toContain(second);
    await until(() => alice.engine.getSnapshot().conversations.find((c) => c.id === second)?.kind === "group");
    await until(() => {
      const group = alice.engine.getSnapshot().conversations.find((c) => c.id === second);
      return group?.kind === "group" && group.group.members.length === 1;
    });
  });
});
