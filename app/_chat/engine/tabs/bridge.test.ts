// Several tabs of one person in one browser, as "tabs" in one process: one owner holds the keys and
// runs the engine, the others work through it over a real BroadcastChannel (Node has one); when
// the owner closes, a waiting tab takes over from the same storage. fake-indexeddb is the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../../crypto";
import { ChatEngine } from "../chat-engine";
import { FakeChatServer, until } from "../testing/fake-chat-server";
import { memoryTabLock } from "../testing/memory-tab-lock";
import { readyTestEngine, stopTestEngines, testEnvironment } from "../testing/test-engine";
import type { ChatEngineView, ChatPerson } from "../types";
import type { BridgeMessage } from "./bridge-messages";
import { ChatTab } from "./chat-tab";
import { broadcastTabChannel, type TabChannel } from "./tab-channel";
import type { TabLock } from "./tab-lock";

beforeAll(loadCryptoCore);
const open: ChatTab[] = [];
afterEach(() => {
  for (const tab of open.splice(0)) tab.stop();
  stopTestEngines();
});

/** Everything any tab posted, as the channel carried it. */
type Crossed = BridgeMessage[];

function recording(channel: TabChannel, crossed: Crossed): TabChannel {
  return { ...channel, post: (message) => (crossed.push(structuredClone(message)), channel.post(message)) };
}

/** A tab of `person`'s browser (the device "laptop": every tab opens the same storage). */
async function openTab(server: FakeChatServer, person: ChatPerson, lock: TabLock, name: string, crossed: Crossed): Promise<ChatTab> {
  const tab = await ChatTab.start({
    userId: person.userId,
    tab: name,
    lock,
    channel: recording(broadcastTabChannel(person.userId), crossed),
    async startOwner(release) {
      const { environment } = testEnvironment(server, person, "laptop");
      const engine = new ChatEngine({ client: server.client(person.userId), me: person, environment, releaseLock: release });
      engine.start();
      return engine;
    },
  });
  open.push(tab);
  return tab;
}

const bodies = (engine: ChatEngineView, conversationId: string) => engine.messages(conversationId).messages.map((m) => m.body);
const statusOf = (tab: ChatTab) => tab.current.getSnapshot().status.kind;

async function aliceInTwoTabsAndBob(server: FakeChatServer, crossed: Crossed) {
  const alice = server.createAccount("alice");
  const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
  // They follow each other: Alice's first message is no message request.
  server.followEachOther(alice, bob.person);
  const lock = memoryTabLock();
  // Alice's first browser sets its keys up by itself, in the tab that owns them.
  const first = await openTab(server, alice, lock, "first", crossed);
  const second = await openTab(server, alice, lock, "second", crossed);
  await until(() => statusOf(first) === "ready" && statusOf(second) === "ready");
  return { alice, bob, lock, first, second };
}

describe("several tabs", () => {
  it("a second tab opens, sends (text and files), reads, searches and marks read through the owner", async () => {
    const server = new FakeChatServer();
    const crossed: Crossed = [];
    const { alice, bob, first, second } = await aliceInTwoTabsAndBob(server, crossed);
    expect([first.owns, second.owns]).toEqual([true, false]);
    const bobId = bob.person.userId;

    expect(await second.current.openConversation("bob")).toMatchObject({ userId: bobId });
    await second.current.sendText(bobId, "from the second tab");
    await until(() => bodies(second.current, bobId).includes("from the second tab"));
    await bob.engine.loadOlder(alice.userId);
    await until(() => bodies(bob.engine, alice.userId).includes("from the second tab"));
    await until(() => second.current.messages(bobId).messages[0]?.state === "delivered");

    await second.current.sendFiles(bobId, [new File([new Uint8Array(2000)], "notes.txt", { type: "text/plain" })], "the notes");
    await until(() => bob.engine.messages(alice.userId).messages.some((m) => m.body === "the notes" && m.attachments[0]?.name === "notes.txt"));

    await bob.engine.sendText(alice.userId, "hello both tabs");
    await until(() => bodies(second.current, bobId).includes("hello both tabs"));
    await until(() => second.current.getSnapshot().conversations[0]?.unread === 1);
    await second.current.markRead(bobId);
    await until(() => first.current.getSnapshot().conversations[0]?.unread === 0 && second.current.getSnapshot().conversations[0]?.unread === 0);

    const hits = await second.current.search("both");
    expect(hits.map((hit) => hit.message.body)).toEqual(["hello both tabs"]);
    await expect(second.current.openConversation("nobody-here")).rejects.toMatchObject({ code: "chat_person_not_found" });
  });

  it("when the owner tab closes, a waiting tab takes over the keys and the others follow it without a reload", async () => {
    const server = new FakeChatServer();
    const crossed: Crossed = [];
    const { alice, bob, lock, first, second } = await aliceInTwoTabsAndBob(server, crossed);
    const third = await openTab(server, alice, lock, "third", crossed);
    const bobId = bob.person.userId;
    await until(() => statusOf(third) === "ready");
    await bob.engine.openConversation("alice");
    await bob.engine.sendText(alice.userId, "before");
    await until(() => bodies(third.current, bobId).includes("before"));

    let switched = 0;
    second.onSwitch(() => switched++);
    first.stop();
    await until(() => second.owns && statusOf(second) === "ready");
    expect(switched).toBe(1);
    expect(third.owns).toBe(false);

    await bob.engine.sendText(alice.userId, "after");
    await until(() => bodies(second.current, bobId).join() === "before,after");
    await until(() => bodies(third.current, bobId).join() === "before,after");
    await third.current.sendText(bobId, "from the third tab, through the new owner");
    await until(() => bodies(bob.engine, alice.userId).includes("from the third tab, through the new owner"));
  });

  it("keeps secrets where they are shown: a command that needs one moves the keys to its tab, and no key, recovery key or storage secret crosses the channel", async () => {
    const server = new FakeChatServer();
    const crossed: Crossed = [];
    const { alice, first, second } = await aliceInTwoTabsAndBob(server, crossed);

    // Turning the backup on in the second tab shows the recovery key there: the first hands the keys over.
    let switched = 0;
    first.onSwitch(() => switched++);
    await second.current.enableBackup();
    expect([first.owns, second.owns]).toEqual([false, true]);
    expect(switched).toBe(1);
    const recoveryKey = second.current.getSnapshot().backup.pendingRecoveryKey;
    expect(recoveryKey).toMatch(/^\d{60}$/);
    await until(() => first.current.getSnapshot().backup.enabled);
    expect(first.current.getSnapshot().backup.pendingRecoveryKey).toBeNull();
    // The first tab now works through the second.
    expect(await first.current.openConversation("bob")).toMatchObject({ handle: "bob" });
    // An offline passphrase set in the first tab moves the keys back there; the second sees only that one is set.
    const offlinePassphrase = "harbour lights offline";
    await first.current.setOfflinePassphrase(offlinePassphrase);
    expect([first.owns, second.owns]).toEqual([true, false]);
    await until(() => second.current.getSnapshot().offlinePassphrase);

    // Asked over the channel, a command that must stay in its tab is refused, not run.
    const channel = broadcastTabChannel(alice.userId);
    const answer = new Promise<BridgeMessage>((resolve) => channel.listen((m) => m.type === "result" && m.tab === "intruder" && resolve(m)));
    channel.post({ type: "command", tab: "intruder", id: 1, method: "enableBackup", args: [] });
    expect(await answer).toMatchObject({ ok: false, code: "chat_other_tab_only" });
    channel.close();

    const { secret: storageSecret } = await server.client(alice.userId).chat.storage.secret.mutate();
    const everything = JSON.stringify(crossed, (_key, value: unknown) => {
      if (value instanceof Uint8Array) {
        // Every key is 32 bytes or longer; nothing that long belongs on the channel.
        expect(value.length).toBeLessThan(32);
        return Buffer.from(value).toString("hex");
      }
      return value;
    });
    expect(everything).not.toContain(recoveryKey);
    expect(everything).not.toContain(storageSecret);
    expect(everything).not.toContain(offlinePassphrase);
    expect(
      crossed.some(
        (m) =>
          m.type === "command" &&
          m.tab !== "intruder" &&
          ["enableBackup", "setPassphrase", "restoreFromBackup", "startCall", "setOfflinePassphrase", "unlockOffline"].includes(m.method),
      ),
    ).toBe(false);
  });
});
