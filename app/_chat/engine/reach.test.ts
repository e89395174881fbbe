// Reaching people: a first browser is set up with no set-up step (only when there is nothing to
// link or restore), and a message to someone who has never opened Messages waits, marked so, and
// goes out once when they do. fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import type { ChatEngine } from "./chat-engine";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines } from "./testing/test-engine";
import type { EngineStatus } from "./types";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

const stateOf = (engine: ChatEngine, conversationId: string, body: string) => engine.messages(conversationId).messages.find((m) => m.body === body)?.state;
const bodies = (engine: ChatEngine, conversationId: string) => engine.messages(conversationId).messages.map((m) => m.body);

/** Every status the engine shows, in order, from now on. */
function statusesOf(engine: ChatEngine): EngineStatus["kind"][] {
  const seen: EngineStatus["kind"][] = [engine.getSnapshot().status.kind];
  engine.subscribe(() => {
    const kind = engine.getSnapshot().status.kind;
    if (seen.at(-1) !== kind) seen.push(kind);
  });
  return seen;
}

describe("setting up by itself", () => {
  it("makes the keys of a first browser with no set-up step, showing progress meanwhile", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    const { engine } = startTestEngine(server, alice, "laptop");
    const seen = statusesOf(engine);
    await statusOf(engine, "ready");
    expect(seen).not.toContain("needs-setup");
    expect(seen).toContain("working");
    expect(server.devicesOf(alice.userId)).toHaveLength(1);
    expect(await engine.devices()).toEqual([expect.objectContaining({ name: "laptop", current: true })]);
  });

  it("offers linking or restoring instead, making nothing, when the account has a device or a backup", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    const laptop = await readyTestEngine(server, alice, "laptop");
    await laptop.engine.enableBackup();

    const phone = startTestEngine(server, alice, "phone");
    expect(await statusOf(phone.engine, "needs-setup")).toEqual({ kind: "needs-setup", otherDevices: ["laptop"], backups: ["recoveryKey"] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(phone.engine.getSnapshot().status.kind).toBe("needs-setup");
    expect(server.devicesOf(alice.userId)).toHaveLength(1);
  });
});

describe("writing to someone with no device yet", () => {
  it("keeps the message waiting, never failed, and delivers it once when they first open Messages", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    const alicePhone = await linkTestEngine(server, alice, "phone");
    const bob = server.createAccount("bob");
    // Bob follows Alice: a stranger's first message would wait in his Requests instead (message-requests.test.ts).
    server.follow(bob, alice.person);

    // Opening the conversation works although Bob has never opened Messages.
    expect(await alice.engine.openConversation("bob")).toMatchObject({ userId: bob.userId, handle: "bob" });
    await alice.engine.loadOlder(bob.userId);
    await alice.engine.sendText(bob.userId, "see you at the lake");
    await until(() => stateOf(alice.engine, bob.userId, "see you at the lake") === "waiting");
    // Her phone got its copy at once; Bob's list is looked at again on opening and on reconnecting, and it keeps waiting.
    await alicePhone.engine.loadOlder(bob.userId);
    await until(() => bodies(alicePhone.engine, bob.userId).includes("see you at the lake"));
    for (let i = 0; i < 8; i++) {
      await alice.engine.openConversation("bob");
      alice.goOnline();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stateOf(alice.engine, bob.userId, "see you at the lake")).toBe("waiting");

    // Bob opens Messages: set up by itself; opening the conversation again looks at his list at once.
    const bobLaptop = startTestEngine(server, bob, "desktop");
    await statusOf(bobLaptop.engine, "ready");
    await alice.engine.openConversation("bob");
    await bobLaptop.engine.loadOlder(alice.person.userId);
    await until(() => bodies(bobLaptop.engine, alice.person.userId).includes("see you at the lake"));
    await until(() => stateOf(alice.engine, bob.userId, "see you at the lake") === "delivered");

    // Exactly once: more looks and reconnects send nothing again.
    alice.goOnline();
    await alice.engine.openConversation("bob");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bodies(bobLaptop.engine, alice.person.userId)).toEqual(["see you at the lake"]);
    const bobDevice = server.devicesOf(bob.userId)[0]!.rowId;
    const message = alice.engine.messages(bob.userId).messages[0]!;
    expect(server.sends.filter((s) => s.clientMessageId === message.id && s.deviceRowIds.includes(bobDevice))).toHaveLength(1);
    expect(bobLaptop.engine.getSnapshot().conversations[0]).toMatchObject({ unread: 1, lastMessage: { body: "see you at the lake" } });
  });

  it("looks again by itself when the browser comes back online", async () => {
    const server = new FakeChatServer();
    const alice = await readyTestEngine(server, server.createAccount("alice"), "laptop");
    const bob = server.createAccount("bob");
    server.follow(bob, alice.person);
    await alice.engine.openConversation("bob");
    await alice.engine.loadOlder(bob.userId);
    await alice.engine.sendText(bob.userId, "first words");
    await until(() => stateOf(alice.engine, bob.userId, "first words") === "waiting");

    const bobLaptop = await readyTestEngine(server, bob, "desktop");
    await bobLaptop.engine.loadOlder(alice.person.userId);
    alice.goOnline();
    await until(() => bodies(bobLaptop.engine, alice.person.userId).includes("first words"));
    await until(() => stateOf(alice.engine, bob.userId, "first words") === "delivered");
  });
});
