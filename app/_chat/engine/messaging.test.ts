// Sending and receiving through the ChatEngine façade against the fake chat API: envelopes per
// device, sync copies, retries, failure, storing and acknowledging once, duplicates, delivery
// receipts. fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import type { ChatEngine } from "./chat-engine";
import { FakeChatServer, serverError, until } from "./testing/fake-chat-server";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine, type TestEngineOptions } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const bodies = (engine: ChatEngine, conversationId: string) => engine.messages(conversationId).messages.map((m) => m.body);
const stateOf = (engine: ChatEngine, conversationId: string, body: string) => engine.messages(conversationId).messages.find((m) => m.body === body)?.state;
const thisDevice = async (engine: ChatEngine) => (await engine.devices()).find((d) => d.current)!.rowId;

async function aliceAndBob(
  server: FakeChatServer,
  options: { alice?: TestEngineOptions; bob?: TestEngineOptions } = {},
): Promise<{ alice: TestEngine; bob: TestEngine }> {
  const [alice, bob] = await Promise.all([
    readyTestEngine(server, server.createAccount("alice"), "laptop", options.alice),
    readyTestEngine(server, server.createAccount("bob"), "desktop", options.bob),
  ]);
  // People who follow each other: their first messages are no message requests.
  server.followEachOther(alice.person, bob.person);
  await alice.engine.openConversation("bob");
  // The threads the tests look at are loaded, as when the conversation is on screen.
  await Promise.all([alice.engine.loadOlder(bob.person.userId), bob.engine.loadOlder(alice.person.userId)]);
  return { alice, bob };
}

describe("sending", () => {
  it("seals one envelope per device of the recipient and a sync copy for each of our other devices", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const [alicePhone, bobPhone] = await Promise.all([linkTestEngine(server, alice, "phone"), linkTestEngine(server, bob, "phone")]);
    const bobId = bob.person.userId;
    await Promise.all([alicePhone.engine.loadOlder(bobId), bobPhone.engine.loadOlder(alice.person.userId)]);

    await alice.engine.sendText(bobId, "  hello Bob  ");
    expect(stateOf(alice.engine, bobId, "hello Bob")).toBe("sending");
    await until(() => stateOf(alice.engine, bobId, "hello Bob") === "delivered");
    const send = server.sends.find((s) => s.deviceRowIds.length > 1)!;
    const expected = await Promise.all([thisDevice(bob.engine), thisDevice(bobPhone.engine), thisDevice(alicePhone.engine)]);
    expect(send.deviceRowIds.sort()).toEqual(expected.sort());
    for (const engine of [bob.engine, bobPhone.engine]) await until(() => bodies(engine, alice.person.userId).includes("hello Bob"));
    // Alice's phone shows it as hers, in her conversation with Bob, and Bob's receipt reaches it too.
    await until(() => stateOf(alicePhone.engine, bobId, "hello Bob") === "delivered");
    expect(alicePhone.engine.messages(bobId).messages[0]).toMatchObject({ outgoing: true, body: "hello Bob" });
  });

  it("retries after a transient failure when the browser is online again, storing one copy", async () => {
    const server = new FakeChatServer();
    // Alice's clock stands still, so her outbox's back-off never ends by itself: only going online sends.
    const frozen = Date.now();
    const { alice, bob } = await aliceAndBob(server, { alice: { now: () => frozen } });
    const bobId = bob.person.userId;
    server.interrupt("envelopes.send", 1);
    await alice.engine.sendText(bobId, "through the tunnel");
    await until(() => server.interrupted.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stateOf(alice.engine, bobId, "through the tunnel")).toBe("sending");
    expect(bodies(bob.engine, alice.person.userId)).toEqual([]);
    // Said again until the outbox has put the failed attempt away (a kick during a send only queues an ordinary one).
    await until(() => {
      alice.goOnline();
      return bodies(bob.engine, alice.person.userId).includes("through the tunnel");
    });
    expect(bodies(bob.engine, alice.person.userId)).toEqual(["through the tunnel"]);
    await until(() => stateOf(alice.engine, bobId, "through the tunnel") === "delivered");
  });

  it("shows a message the server refuses as failed, and Retry sends it", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const bobId = bob.person.userId;
    server.interrupt("envelopes.send", 1, () => serverError("BAD_REQUEST"));
    await alice.engine.sendText(bobId, "refused once");
    await until(() => stateOf(alice.engine, bobId, "refused once") === "failed");
    expect(alice.engine.getSnapshot().conversations[0]?.lastMessage?.state).toBe("failed");

    await alice.engine.sendText(bobId, "x".repeat(4_001)).catch((error: unknown) => expect(error).toMatchObject({ code: "chat_too_long" }));
    const [failed] = alice.engine.messages(bobId).messages;
    await alice.engine.retry(failed!.id);
    await until(() => stateOf(alice.engine, bobId, "refused once") === "delivered");
  });
});

describe("receiving", () => {
  it("stores a message once, moves its conversation up as unread, acknowledges it once, and shows a re-delivered copy once", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await aliceAndBob(server);
    const bobDevice = await thisDevice(bob.engine);
    bob.engine.stop();
    await alice.engine.sendText(bob.person.userId, "while you were away");
    await until(() => server.pending(bobDevice) === 1);
    const [envelope] = server.queued(bobDevice);

    const back = startTestEngine(server, bob.person, "desktop");
    await statusOf(back.engine, "ready");
    await until(() => server.pending(bobDevice) === 0);
    expect(server.acks.filter((id) => id === envelope!.id)).toHaveLength(1);
    expect(back.engine.getSnapshot().conversations).toEqual([
      expect.objectContaining({ id: alice.person.userId, unread: 1, lastMessage: expect.objectContaining({ body: "while you were away", outgoing: false }) }),
    ]);

    // The same envelope again (an acknowledgement lost on the way): acknowledged, not shown again.
    const again = server.deliver(bobDevice, envelope!.payload);
    await until(() => server.pending(bobDevice) === 0);
    expect(server.acks.filter((id) => id === again)).toHaveLength(1);
    await until(() => back.engine.messages(alice.person.userId).messages.length > 0);
    expect(bodies(back.engine, alice.person.userId)).toEqual(["while you were away"]);
    expect(back.engine.getSnapshot().conversations[0]?.unread).toBe(1);
    await back.engine.markRead(alice.person.userId);
    expect(back.engine.getSnapshot().conversations[0]?.unread).toBe(0);
  });

  it("sends one delivery receipt for a burst of messages, which marks each of them delivered", async () => {
    const server = new FakeChatServer();
    // Bob's receipts wait long enough for all three to arrive.
    const { alice, bob } = await aliceAndBob(server, { bob: { delays: { receiptMs: 500 } } });
    const bobId = bob.person.userId;
    const bobDevice = await thisDevice(bob.engine);
    await Promise.all(["one", "two", "three"].map((body) => alice.engine.sendText(bobId, body)));
    await until(() => ["one", "two", "three"].every((body) => stateOf(alice.engine, bobId, body) === "delivered"));
    const toAlice = server.sends.filter((s) => !s.deviceRowIds.includes(bobDevice));
    expect(toAlice).toHaveLength(1);
    expect(await bob.engine.search("TW")).toEqual([
      expect.objectContaining({
        message: expect.objectContaining({ body: "two" }),
        where: { kind: "direct", peer: expect.objectContaining({ handle: "alice" }) },
      }),
    ]);
  });
});
