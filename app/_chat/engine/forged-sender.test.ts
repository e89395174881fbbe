// Any account holder (or the server) can run PQXDH against someone's public bundle and seal a first
// message that claims another person's device. The receiver must drop it without keeping anything,
// so that the person it claimed to come from can still be written to afterwards.
// fake-indexeddb stands in for the browser's IndexedDB (the outside API, not code of ours).
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore, sealedEncrypt, type ProtocolAddress } from "../crypto";
import { encodeContent, type ChatContent } from "./chat-content";
import { knownContact } from "./device-lists";
import { GroupKeys } from "./groups/group-keys";
import { Outbox } from "./outbox";
import { Receiver } from "./receiver";
import type { OutboxRecord } from "./records";
import { ensureSessions } from "./sessions";
import { FakeChatServer, until, type TestChatDevice, type TestChatPerson } from "./testing/fake-chat-server";

beforeAll(loadCryptoCore);

const running: { stop(): void }[] = [];
afterEach(() => {
  for (const part of running.splice(0)) part.stop();
});

function receive(device: TestChatDevice): { sender: ProtocolAddress; content: ChatContent }[] {
  const received: { sender: ProtocolAddress; content: ChatContent }[] = [];
  const receiver = new Receiver(device.ctx, new GroupKeys(device.ctx), {
    connection: () => undefined,
    connected: () => undefined,
    received: async (sender, content) => void received.push({ sender, content }),
    identityChanged: () => undefined,
    revoked: () => undefined,
  });
  receiver.start();
  running.push(receiver);
  return received;
}

function outbox(device: TestChatDevice): { outbox: Outbox; sent: OutboxRecord[]; failing: OutboxRecord[] } {
  const sent: OutboxRecord[] = [];
  const failing: OutboxRecord[] = [];
  const box = new Outbox(device.ctx, new GroupKeys(device.ctx), {
    sent: (item) => sent.push(item),
    waiting: () => undefined,
    failing: (item) => failing.push(item),
    identityChanged: () => undefined,
    groupMembers: async () => [],
  });
  running.push(box);
  return { outbox: box, sent, failing };
}

const text = (body: string): ChatContent => ({ t: "text", id: crypto.randomUUID(), body, sentAt: Date.now() });

/** Mallory, with only Bob's public bundle, seals a first message that claims to come from `claimed`. */
async function forgeFirstMessage(server: FakeChatServer, mallory: TestChatPerson, bob: TestChatPerson, claimed: ProtocolAddress): Promise<void> {
  const forger = mallory.devices[0]!;
  const bobDevice = bob.devices[0]!;
  await ensureSessions(forger.ctx, bob.userId, await knownContact(forger.ctx, bob.userId).then((c) => c.devices));
  const envelope = await sealedEncrypt({
    address: { userId: bob.userId, deviceId: bobDevice.deviceId },
    sender: claimed,
    plaintext: encodeContent(text("this is Alice, honest")),
    stores: forger.ctx.storage.protocol,
    random: forger.ctx.random,
    now: Date.now(),
  });
  server.deliver(bobDevice.rowId, envelope);
}

describe("a forged first message", () => {
  it("claiming one of Alice's devices is dropped, and Bob can still write to Alice", async () => {
    const server = new FakeChatServer();
    const [alice, bob, mallory] = await server.createThreePeople();
    const bobDevice = bob.devices[0]!;
    const bobInbox = receive(bobDevice);

    await forgeFirstMessage(server, mallory, bob, { userId: alice.userId, deviceId: 1 });
    await until(() => server.pending(bobDevice.rowId) === 0);
    expect(bobInbox).toEqual([]);
    expect(await bobDevice.ctx.storage.protocol.sessions.loadSession({ userId: alice.userId, deviceId: 1 })).toBeNull();

    const aliceInbox = receive(alice.devices[0]!);
    const bobOutbox = outbox(bobDevice);
    await bobOutbox.outbox.enqueue({ peerUserId: alice.userId, content: text("hello Alice"), syncToOwnDevices: false });
    await until(() => aliceInbox.length > 0);
    expect(aliceInbox.map((m) => (m.content.t === "text" ? m.content.body : m.content.t))).toEqual(["hello Alice"]);
    expect(aliceInbox[0]!.sender).toEqual({ userId: bob.userId, deviceId: 1 });
    expect(bobOutbox.failing).toEqual([]);
  });

  it("claiming a device Alice does not have yet leaves nothing behind for when she adds it", async () => {
    const server = new FakeChatServer();
    const [alice, bob, mallory] = await server.createThreePeople();
    const bobDevice = bob.devices[0]!;
    const bobInbox = receive(bobDevice);

    await forgeFirstMessage(server, mallory, bob, { userId: alice.userId, deviceId: 2 });
    await until(() => server.pending(bobDevice.rowId) === 0);
    expect(bobInbox).toEqual([]);
    expect(await bobDevice.ctx.storage.protocol.sessions.loadSession({ userId: alice.userId, deviceId: 2 })).toBeNull();
    expect(await bobDevice.ctx.storage.protocol.identity.getIdentity({ userId: alice.userId, deviceId: 2 })).toBeNull();

    const aliceSecond = await server.addDevice(alice, 2);
    const inboxes = [receive(alice.devices[0]!), receive(aliceSecond)];
    const bobOutbox = outbox(bobDevice);
    await bobOutbox.outbox.enqueue({ peerUserId: alice.userId, content: text("hello both"), syncToOwnDevices: false });
    await until(() => inboxes.every((inbox) => inbox.length > 0));
    for (const inbox of inboxes) expect(inbox.map((m) => (m.content.t === "text" ? m.content.body : m.content.t))).toEqual(["hello both"]);
  });
});
