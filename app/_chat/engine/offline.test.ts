// Opening offline and sending after reconnecting, through the ChatEngine façade against the fake
// chat API: with no network the store opens only with the person's offline passphrase (a copy of
// the storage secret locked with it), never from what the device keeps alone; a wrong passphrase
// changes nothing; turning it off, log-out and an earlier version's copy leave nothing that opens
// offline; and a message written offline waits, then goes out exactly once.
// fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { openDB } from "idb";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import { forgetEveryOfflineUnlock, hasOfflineUnlock } from "../storage";
import { chatDatabaseName, META_OFFLINE_UNLOCK } from "../storage/schema";
import type { ChatEngine } from "./chat-engine";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { fakeServiceWorkerSecrets, readyTestEngine, startTestEngine, statusOf, stopTestEngines, type TestEngine } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const PASSPHRASE = "ferry lights at dusk";
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

/** Alice's laptop opened offline and unlocked with her offline passphrase. */
async function reopenOfflineAndUnlock(server: FakeChatServer, alice: TestEngine): Promise<TestEngine> {
  await alice.engine.setOfflinePassphrase(PASSPHRASE);
  const offline = await reopenOffline(server, alice);
  await statusOf(offline.engine, "locked-offline");
  await offline.engine.unlockOffline(PASSPHRASE);
  await statusOf(offline.engine, "ready");
  return offline;
}

describe("opening offline", () => {
  it("needs a connection by default: nothing on the device opens the store, and it starts once the network returns", async () => {
    const server = new FakeChatServer();
    const { alice } = await talking(server);
    expect(alice.engine.getSnapshot().offlinePassphrase).toBe(false);
    expect(await hasOfflineUnlock(`${alice.person.userId}/laptop`)).toBe(false);
    const offline = await reopenOffline(server, alice);

    expect(await statusOf(offline.engine, "failed")).toEqual({ kind: "failed", code: "chat_offline" });
    server.setOffline(alice.person.userId, false);
    offline.goOnline();
    await statusOf(offline.engine, "ready");
  });

  it("asks for the offline passphrase; a wrong one is refused and changes nothing, the right one shows the conversations and history", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await talking(server);
    await expect(alice.engine.setOfflinePassphrase("too short")).rejects.toMatchObject({ code: "chat_offline_passphrase_too_short" });
    expect(alice.engine.getSnapshot().offlinePassphrase).toBe(false);
    await alice.engine.setOfflinePassphrase(PASSPHRASE);
    expect(alice.engine.getSnapshot().offlinePassphrase).toBe(true);
    const offline = await reopenOffline(server, alice);

    await statusOf(offline.engine, "locked-offline");
    expect(offline.engine.getSnapshot().conversations).toEqual([]);
    for (const wrong of ["ferry lights at dawn", ""]) {
      await expect(offline.engine.unlockOffline(wrong)).rejects.toMatchObject({ code: "chat_offline_passphrase_wrong" });
      expect(offline.engine.getSnapshot().status).toEqual({ kind: "locked-offline" });
    }
    expect(await hasOfflineUnlock(`${alice.person.userId}/laptop`)).toBe(true);

    await offline.engine.unlockOffline(PASSPHRASE);
    await statusOf(offline.engine, "ready");
    expect(offline.engine.getSnapshot().offlinePassphrase).toBe(true);
    expect(offline.engine.getSnapshot().conversations).toEqual([
      expect.objectContaining({ id: bob.person.userId, lastMessage: expect.objectContaining({ body: "bring the map" }) }),
    ]);
    await offline.engine.loadOlder(bob.person.userId);
    expect(bodies(offline.engine, bob.person.userId)).toEqual(["see you at the lake", "bring the map"]);
    await until(() => offline.engine.getSnapshot().connection === "offline");
  });

  it("opens as usual, with no passphrase, when the network returns on the locked screen", async () => {
    const server = new FakeChatServer();
    const { alice } = await talking(server);
    await alice.engine.setOfflinePassphrase(PASSPHRASE);
    const offline = await reopenOffline(server, alice);
    await statusOf(offline.engine, "locked-offline");
    server.setOffline(alice.person.userId, false);
    offline.goOnline();
    await statusOf(offline.engine, "ready");
    expect(offline.engine.getSnapshot().offlinePassphrase).toBe(true);
  });

  it("changes the passphrase, and turning it off deletes the copy at once", async () => {
    const server = new FakeChatServer();
    const { alice } = await talking(server);
    await alice.engine.setOfflinePassphrase(PASSPHRASE);
    await alice.engine.setOfflinePassphrase("a second offline phrase");
    let offline = await reopenOffline(server, alice);
    await statusOf(offline.engine, "locked-offline");
    await expect(offline.engine.unlockOffline(PASSPHRASE)).rejects.toMatchObject({ code: "chat_offline_passphrase_wrong" });
    await offline.engine.unlockOffline("a second offline phrase");
    await statusOf(offline.engine, "ready");

    await offline.engine.removeOfflinePassphrase();
    expect(offline.engine.getSnapshot().offlinePassphrase).toBe(false);
    expect(await hasOfflineUnlock(`${alice.person.userId}/laptop`)).toBe(false);
    offline = await reopenOffline(server, offline);
    expect(await statusOf(offline.engine, "failed")).toEqual({ kind: "failed", code: "chat_offline" });
  });

  it("deletes a copy an earlier version kept (it opened from the device's files alone): the setting reads off", async () => {
    const server = new FakeChatServer();
    const { alice } = await talking(server);
    alice.engine.stop();
    // The earlier version's record: 0x01 ‖ IV 12 ‖ the secret sealed under the base key alone.
    const db = await openDB(chatDatabaseName(`${alice.person.userId}/laptop`));
    await db.put("meta", new Uint8Array([1, ...new Uint8Array(60)]), META_OFFLINE_UNLOCK);
    db.close();

    const online = await startTestEngine(server, alice.person, "laptop");
    await statusOf(online.engine, "ready");
    expect(online.engine.getSnapshot().offlinePassphrase).toBe(false);
    const raw = await openDB(chatDatabaseName(`${alice.person.userId}/laptop`));
    expect(await raw.get("meta", META_OFFLINE_UNLOCK)).toBeUndefined();
    raw.close();
    const offline = await reopenOffline(server, online);
    expect(await statusOf(offline.engine, "failed")).toEqual({ kind: "failed", code: "chat_offline" });
  });

  it("opens the next offline page load with the secret the service worker holds, and asks again once it is forgotten or does not open", async () => {
    const server = new FakeChatServer();
    const { alice, bob } = await talking(server);
    const database = `${alice.person.userId}/laptop`;
    let offline = await reopenOfflineAndUnlock(server, alice);
    // Moving to another chat page offline: a new page, the same worker.
    offline = await reopenOffline(server, offline);
    await statusOf(offline.engine, "ready");
    await offline.engine.loadOlder(bob.person.userId);
    expect(bodies(offline.engine, bob.person.userId)).toEqual(["see you at the lake", "bring the map"]);

    // A secret that does not open this store (the worker mixed up, or damaged) is forgotten, and the person asked.
    fakeServiceWorkerSecrets.hold(database, new Uint8Array(32).fill(7));
    offline = await reopenOffline(server, offline);
    await statusOf(offline.engine, "locked-offline");
    expect(await fakeServiceWorkerSecrets.ask(database)).toBeNull();
    await offline.engine.unlockOffline(PASSPHRASE);
    await statusOf(offline.engine, "ready");

    // A new passphrase makes the worker forget: the next offline start asks for it.
    server.setOffline(alice.person.userId, false);
    offline.engine.stop();
    const online = await readyTestEngine(server, alice.person, "laptop");
    await online.engine.setOfflinePassphrase("a second offline phrase");
    expect(await fakeServiceWorkerSecrets.ask(database)).toBeNull();
    offline = await reopenOffline(server, online);
    await statusOf(offline.engine, "locked-offline");
  });

  it("does not open offline after log-out forgot the kept copies", async () => {
    const server = new FakeChatServer();
    const { alice } = await talking(server);
    await alice.engine.setOfflinePassphrase(PASSPHRASE);
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
    const offline = await reopenOfflineAndUnlock(server, alice);
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
