// Opening offline and sending after reconnecting, through the ChatEngine façade against the fake
// chat API: the device's kept copy of the storage secret opens the store with no network (and only
// while the person lets it), and a message written offline waits, then goes out exactly once.
// fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import { forgetEveryOfflineUnlock, readOfflineUnlock } from "../storage";
import type { ChatEngine } from "./chat-engine";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const bodies = (engine: ChatEngine, conversationId: string) => engine.messages(conversationId).messages.map((m) => m.body);
const stateOf = (engine: ChatEngine, conversationId: string, body: string) => engine.messages(conversationId).messages.find((m) => m.body === body)?.state;

/** Alice and Bob, who follow each other, after one message each way. */
async function talking(server: FakeChatServer): Promise<{ alice: TestEngine; bob: TestEngine }> {
  const [alice, bob] = await Promise.all([
    readyTestEngine(server, server.createAccount("alice"), "laptop"),
    readyTestEngine(server, server.createAccount("bob"), "desktop"),
  ]);
  server.followEachOther(alice.person, bob.person);
  await alice.engine.openConversation("bob");
  await Promise.all([alice.engine.loadOlder(bob.person.userId), bob.engine.loadOlder(alice.person.userId)]);
  await alice.engine.sendText(bob.person.userId, "see you at the lake");
  await until(() => bodies(bob.engine, alice.person.userId).includes("see you at the lake"));
  await bob.engine.sendText(alice.person.userId, "bring the map");
  await until(() => bodies(alice.engine, bob.person.userId).includes("bring the map"));
  return { alice, bob };
}

/** Alice's laptop opened again with no network (the app started offline). */
async function reopenOffline(server: FakeChatServer, alice: TestEngine): Promise<TestEngine> {
  alice.engine.stop();
  server.setOffline(alice.person.userId, true);
  return startTestEngine(server, alice.person, "laptop");
}

describe("opening offline", () => {
  it("opens the store from the device's kept secret with no network, showing the conversations and history", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await talking(server);
    const offline = await reopenOffline(server, alice);

    await statusOf(offline.engine, "ready");
    expect(offline.engine.getSnapshot().conversations).toEqual([
      expect.objectContaining({ id: bob.person.userId, lastMessage: expect.objectContaining({ body: "bring the map" }) }),
    ]);
    await offline.engine.loadOlder(bob.person.userId);
    expect(bodies(offline.engine, bob.person.userId)).toEqual(["see you at the lake", "bring the map"]);
    await until(() => offline.engine.getSnapshot().connection === "offline");
  });

  it("does not open offline once the person turned it off, and starts when the network returns", async () => {
    const server = new FakeChatServer();
    const { alice } = await talking(server);
    await alice.engine.setChatSettings({ openOffline: false });
    expect(await readOfflineUnlock(`${alice.person.userId}/laptop`)).toBeNull();
    const offline = await reopenOffline(server, alice);

    expect(await statusOf(offline.engine, "failed")).toEqual({ kind: "failed", code: "chat_offline" });
    server.setOffline(alice.person.userId, false);
    offline.goOnline();
    await statusOf(offline.engine, "ready");
    // Off stays off: the online start keeps no copy either.
    expect(await readOfflineUnlock(`${alice.person.userId}/laptop`)).toBeNull();
  });

  it("does not open offline after log-out forgot the kept secrets", async () => {
    const server = new FakeChatServer();
    const { alice } = await talking(server);
    expect(await readOfflineUnlock(`${alice.person.userId}/laptop`)).toHaveLength(32);
    alice.engine.stop();
    await forgetEveryOfflineUnlock();
    const offline = await reopenOffline(server, alice);
    expect(await statusOf(offline.engine, "failed")).toEqual({ kind: "failed", code: "chat_offline" });
  });
});

describe("sending after reconnecting", () => {
  it("keeps a message written offline waiting, then delivers it exactly once however often the network returns", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await talking(server);
    const offline = await reopenOffline(server, alice);
    await statusOf(offline.engine, "ready");
    await offline.engine.loadOlder(bob.person.userId);

    await offline.engine.sendText(bob.person.userId, "written on the train");
    // The online event fires while still offline (a flaky connection): nothing goes, nothing is lost.
    offline.goOnline();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stateOf(offline.engine, bob.person.userId, "written on the train")).toBe("sending");
    expect(bodies(bob.engine, alice.person.userId)).not.toContain("written on the train");

    server.setOffline(alice.person.userId, false);
    // The browser says "online" several times in a row, as flaky networks do.
    offline.goOnline();
    offline.goOnline();
    offline.goOnline();
    await until(() => stateOf(offline.engine, bob.person.userId, "written on the train") === "delivered");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bodies(bob.engine, alice.person.userId).filter((body) => body === "written on the train")).toHaveLength(1);
    const [message] = offline.engine.messages(bob.person.userId).messages.filter((m) => m.body === "written on the train");
    expect(server.sends.filter((send) => send.clientMessageId === message!.id)).toHaveLength(1);
    // And the stream is back: Bob's answer arrives without waiting for the reconnect timer.
    await bob.engine.sendText(alice.person.userId, "welcome back");
    await until(() => bodies(offline.engine, bob.person.userId).includes("welcome back"));
  });
});
