// Changes to one's own device list, through the ChatEngine façade against the fake chat API: a
// removed device, and devices cut off by a new identity, stop with their storage kept until the
// person discards it. fake-indexeddb stands in for the browser's IndexedDB.
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../crypto";
import { chatStorageExists } from "../storage";
import { FakeChatServer, until } from "./testing/fake-chat-server";
import { linkTestEngine, readyTestEngine, startTestEngine, statusOf, stopTestEngines } from "./testing/test-engine";

beforeAll(loadCryptoCore);
afterEach(stopTestEngines);

describe("own devices", () => {
  it("a removed device is cut off, keeps its history until discarded, and is no longer written to", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    const laptop = await readyTestEngine(server, alice, "laptop");
    const phone = await linkTestEngine(server, laptop, "phone");
    const bob = await readyTestEngine(server, server.createAccount("bob"), "desktop");
    server.followEachOther(alice, bob.person);
    await bob.engine.openConversation("alice");
    await bob.engine.sendText(alice.userId, "for both of Alice's devices");
    await until(() => phone.engine.getSnapshot().conversations.length === 1);

    const phoneRowId = (await laptop.engine.devices()).find((d) => d.name === "phone")!.rowId;
    await expect(laptop.engine.removeDevice((await laptop.engine.devices()).find((d) => d.current)!.rowId)).rejects.toMatchObject({
      code: "chat_cannot_remove_this_device",
    });
    await laptop.engine.removeDevice(phoneRowId);
    expect(await statusOf(phone.engine, "cut-off")).toEqual({ kind: "cut-off", reason: "removed", by: null });
    expect(phone.engine.getSnapshot().conversations).toEqual([]);
    expect(await chatStorageExists(`${alice.userId}/phone`)).toBe(true);
    expect((await laptop.engine.devices()).map((d) => d.name)).toEqual(["laptop"]);

    // Bob's next message goes to the laptop only.
    const sendsBefore = server.sends.length;
    await bob.engine.sendText(alice.userId, "after the phone was removed");
    await until(() => server.sends.length > sendsBefore);
    expect(server.sends.slice(sendsBefore).flatMap((s) => s.deviceRowIds)).not.toContain(phoneRowId);

    await phone.engine.discardAndSetUpAgain();
    expect(await chatStorageExists(`${alice.userId}/phone`)).toBe(false);
    expect(phone.engine.getSnapshot().status).toEqual({ kind: "needs-setup", otherDevices: ["laptop"], backups: [] });
  });

  it("starting a new identity elsewhere cuts this device off, naming the device that did it", async () => {
    const server = new FakeChatServer();
    const alice = server.createAccount("alice");
    const laptop = await readyTestEngine(server, alice, "laptop");
    const tablet = startTestEngine(server, alice, "tablet");
    expect(await statusOf(tablet.engine, "needs-setup")).toMatchObject({ otherDevices: ["laptop"] });
    await tablet.engine.setUpNewDevice();

    expect(await statusOf(laptop.engine, "cut-off")).toEqual({ kind: "cut-off", reason: "new-identity", by: "tablet" });
    expect(await chatStorageExists(`${alice.userId}/laptop`)).toBe(true);
    expect(server.devicesOf(alice.userId).map((d) => d.revoked)).toEqual([true, false]);
    // Commands wait for a set-up again.
    await expect(laptop.engine.sendText(alice.userId, "hello")).rejects.toMatchObject({ code: "chat_not_ready" });
  });
});
