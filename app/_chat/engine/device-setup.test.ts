// Setting a browser up, through the ChatEngine façade against the fake chat API: a new device
// (list signed, keys registered), linking with a code (both sides, through the relay), restoring
// from a backup. fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLinkCode, loadCryptoCore, RecoveryKey, systemRandom } from "../crypto";
import { fetchVerifiedList } from "./device-lists";
import { PRE_KEY_BATCH } from "./prekeys";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

describe("setting up a new device", () => {
  it("registers the device with its prekeys and publishes a list signed by a new account key naming it alone", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    // The account's first browser is set up by itself (reach.test.ts).
    const { engine } = startTestEngine(server, alice, "laptop");
    expect(await statusOf(engine, "ready")).toEqual({ kind: "ready" });
    const [registered, ...others] = server.devicesOf(alice.userId);
    expect(others).toEqual([]);
    expect(registered).toMatchObject({ deviceId: 1, revoked: false, oneTimePreKeys: PRE_KEY_BATCH });
    // Anyone may read and verify the list.
    const list = await fetchVerifiedList(server.client(server.createAccount("bob").userId), alice.userId);
    expect(list?.devices.map((d) => ({ rowId: d.rowId, name: d.name }))).toEqual([{ rowId: registered!.rowId, name: "laptop" }]);
    expect(await engine.devices()).toEqual([{ rowId: registered!.rowId, name: "laptop", addedAt: expect.any(Number), current: true }]);
  });

  it("is refused while already set up, and a restart opens the same storage without setting up again", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    const first = await readyTestEngine(server, alice, "laptop");
    await expect(first.engine.setUpNewDevice()).rejects.toMatchObject({ code: "chat_not_ready" });
    const [device] = await first.engine.devices();
    first.engine.stop();

    const again = startTestEngine(server, alice, "laptop");
    await statusOf(again.engine, "ready");
    expect(await again.engine.devices()).toEqual([device]);
    expect(server.devicesOf(alice.userId)).toHaveLength(1);
  });
});

describe("linking with a code", () => {
  it("signs the new device into the list on the existing one and gives it the account key", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    const laptop = await readyTestEngine(server, alice, "laptop");
    const phone = startTestEngine(server, alice, "phone");
    expect(await statusOf(phone.engine, "needs-setup")).toMatchObject({ otherDevices: ["laptop"] });

    const linked = await linkTestEngine(server, laptop, "phone");
    expect(linked.engine.getSnapshot().status).toEqual({ kind: "ready" });
    expect(laptop.engine.getSnapshot().link).toEqual({ kind: "done", deviceName: "phone", history: "none" });
    const names = (devices: { name: string; current: boolean }[]) => devices.map((d) => `${d.name}${d.current ? " (this)" : ""}`).sort();
    expect(names(await laptop.engine.devices())).toEqual(["laptop (this)", "phone"]);
    expect(names(await linked.engine.devices())).toEqual(["laptop", "phone (this)"]);
    // Same account key on both: a contact sees one safety number for Alice.
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    await bob.engine.openConversation("alice");
    await laptop.engine.openConversation("bob");
    await linked.engine.openConversation("bob");
    const [fromLaptop, fromPhone] = await Promise.all([laptop.engine.safetyNumber(bob.person.userId), linked.engine.safetyNumber(bob.person.userId)]);
    expect(fromPhone.digits).toBe(fromLaptop.digits);
  });

  it("refuses a code no device shows, and a mistyped one, without registering anything", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    await readyTestEngine(server, alice, "laptop");
    const phone = startTestEngine(server, alice, "phone");
    await statusOf(phone.engine, "needs-setup");
    await expect(phone.engine.linkWithCode(createLinkCode(systemRandom).display)).rejects.toMatchObject({ code: "chat_link_wrong_code" });
    await expect(phone.engine.linkWithCode("not a code")).rejects.toMatchObject({ code: "chat_link_code_invalid" });
    expect(server.devicesOf(alice.userId)).toHaveLength(1);
  });
});

describe("restoring from a backup", () => {
  it("makes a new device of the same account with the conversations and messages backed up", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    const lost = await readyTestEngine(server, alice, "old laptop");
    await lost.engine.enableBackup();
    const recoveryKey = lost.engine.getSnapshot().backup.pendingRecoveryKey!;
    await lost.engine.openConversation("bob");
    await lost.engine.sendText(bob.person.userId, "before the laptop was lost");
    await until(() => server.backupVersion(alice.userId, "recoveryKey") === 2);
    lost.engine.stop();

    const restored = startTestEngine(server, alice, "new laptop");
    expect(await statusOf(restored.engine, "needs-setup")).toMatchObject({ backups: ["recoveryKey"] });
    const wrongKey = RecoveryKey.generate(systemRandom).digits;
    await expect(restored.engine.restoreFromBackup({ recoveryKey: wrongKey })).rejects.toMatchObject({ code: "chat_backup_wrong_key" });
    await expect(restored.engine.restoreFromBackup({ recoveryKey: "12345" })).rejects.toMatchObject({ code: "chat_recovery_key_invalid" });
    await statusOf(restored.engine, "needs-setup");

    await restored.engine.restoreFromBackup({ recoveryKey });
    expect(restored.engine.getSnapshot().conversations.map((c) => [c.kind === "direct" ? c.peer.handle : c.group.name, c.lastMessage?.body])).toEqual([
      ["bob", "before the laptop was lost"],
    ]);
    restored.engine.messages(bob.person.userId);
    await until(() => restored.engine.messages(bob.person.userId).messages.length === 1);
    expect((await restored.engine.devices()).map((d) => d.name).sort()).toEqual(["new laptop", "old laptop"]);
    // It goes on backing up with the same recovery key, above the version the server holds.
    expect(restored.engine.getSnapshot().backup).toMatchObject({ enabled: true, pendingRecoveryKey: null });
    await restored.engine.backUpNow();
    expect(server.backupVersion(alice.userId, "recoveryKey")).toBe(3);
    // And Bob can write to the restored device.
    await bob.engine.sendText(alice.userId, "welcome back");
    await until(() => restored.engine.messages(bob.person.userId).messages.length === 2);
  });
});
