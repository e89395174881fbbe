// One recipient device whose copy cannot be made must not hold back the others' copies, and must not
// keep the message in the outbox for ever. A session that is not with the identity the person's
// signed list vouches for (planted by a forged first message before receivers checked senders
// first) is replaced by a fresh handshake when sending.
// fake-indexeddb stands in for the browser's IndexedDB (the outside API, not code of ours).
import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { IdentityKeyPair, loadCryptoCore, sealedDecrypt, sealedEncrypt, systemRandom, type ProtocolAddress } from "../crypto";
import { encodeContent, type ChatContent } from "./chat-content";
import { knownContact, refreshContact } from "./device-lists";
import { GroupKeys } from "./groups/group-keys";
import { MAX_SEND_BATCH_BYTES, Outbox, sendBatches } from "./outbox";
import { Receiver } from "./receiver";
import type { OutboxRecord } from "./records";
import { ensureSessions } from "./sessions";
import { FakeChatServer, until, type TestChatDevice } from "./testing/fake-chat-server";

beforeAll(loadCryptoCore);

const running: { stop(): void }[] = [];
afterEach(() => {
  for (const part of running.splice(0)) part.stop();
});

function receive(device: TestChatDevice): string[] {
  const bodies: string[] = [];
  const receiver = new Receiver(device.ctx, new GroupKeys(device.ctx), {
    connection: () => undefined,
    connected: () => undefined,
    received: async (_sender: ProtocolAddress, content: ChatContent) => void bodies.push(content.t === "text" ? content.body : content.t),
    identityChanged: () => undefined,
    revoked: () => undefined,
  });
  receiver.start();
  running.push(receiver);
  return bodies;
}

function outbox(device: TestChatDevice): { outbox: Outbox; sent: OutboxRecord[]; failing: { item: OutboxRecord; permanent: boolean }[] } {
  const sent: OutboxRecord[] = [];
  const failing: { item: OutboxRecord; permanent: boolean }[] = [];
  const box = new Outbox(device.ctx, new GroupKeys(device.ctx), {
    sent: (item) => sent.push(item),
    waiting: () => undefined,
    failing: (item, permanent) => failing.push({ item, permanent }),
    identityChanged: () => undefined,
    groupMembers: async () => [],
  });
  running.push(box);
  return { outbox: box, sent, failing };
}

const text = (body: string): ChatContent => ({ t: "text", id: crypto.randomUUID(), body, sentAt: Date.now() });

describe("outbox", () => {
  it("delivers to the other devices when one device's copy cannot be made, and gives that device up after a few tries", async () => {
    const server = new FakeChatServer();
    const [alice, bob] = await Promise.all([server.createPerson({ devices: [1, 2] }), server.createPerson({ devices: [1] })]);
    const [aliceFirst, aliceSecond] = alice.devices as [TestChatDevice, TestChatDevice];
    // The server hands out a bundle for Alice's second device that her signed list does not vouch for.
    server.forgedBundleKeys.set(aliceSecond.rowId, IdentityKeyPair.generate(systemRandom).identityKey);
    const firstInbox = receive(aliceFirst);
    const secondInbox = receive(aliceSecond);
    const bobOutbox = outbox(bob.devices[0]!);

    await bobOutbox.outbox.enqueue({ peerUserId: alice.userId, content: text("to every device"), syncToOwnDevices: false });
    await until(() => firstInbox.length > 0);
    expect(firstInbox).toEqual(["to every device"]);
    expect(bobOutbox.sent).toHaveLength(1);

    // Every retry is forced at once; a bounded number of them must empty the outbox.
    for (let i = 0; i < 20 && (await bob.devices[0]!.ctx.storage.listOutbox()).length; i++) {
      await bobOutbox.outbox.idle();
      bobOutbox.outbox.kick(true);
      await bobOutbox.outbox.idle();
    }
    expect(await bob.devices[0]!.ctx.storage.listOutbox()).toEqual([]);
    expect(secondInbox).toEqual([]);
    expect(firstInbox).toEqual(["to every device"]);
    expect(bobOutbox.failing.filter((f) => f.permanent)).toEqual([]);
  });

  it("replaces a session that is not with the identity Alice's signed list vouches for, and delivers", async () => {
    const server = new FakeChatServer();
    const [alice, bob, mallory] = await server.createThreePeople();
    const bobDevice = bob.devices[0]!;
    const forger = mallory.devices[0]!;
    // A store poisoned by an earlier version: it kept Mallory's session under Alice's device, then
    // learned Alice's real device key from her list.
    await ensureSessions(forger.ctx, bob.userId, (await knownContact(forger.ctx, bob.userId)).devices);
    const forged = await sealedEncrypt({
      address: { userId: bob.userId, deviceId: 1 },
      sender: { userId: alice.userId, deviceId: 1 },
      plaintext: encodeContent(text("forged")),
      stores: forger.ctx.storage.protocol,
      random: forger.ctx.random,
      now: Date.now(),
    });
    await sealedDecrypt({ envelope: forged, stores: bobDevice.ctx.storage.protocol, random: bobDevice.ctx.random, now: Date.now(), acceptSender: () => true });
    await refreshContact(bobDevice.ctx, alice.userId);
    expect((await bobDevice.ctx.storage.protocol.sessions.loadSession({ userId: alice.userId, deviceId: 1 }))?.current).toBeTruthy();

    const aliceInbox = receive(alice.devices[0]!);
    const bobOutbox = outbox(bobDevice);
    await bobOutbox.outbox.enqueue({ peerUserId: alice.userId, content: text("hello Alice"), syncToOwnDevices: false });
    await until(() => aliceInbox.length > 0);
    expect(aliceInbox).toEqual(["hello Alice"]);
    expect(bobOutbox.failing).toEqual([]);
  });

  it("sends a copy sealed before the rename, whose record names its device row id `deviceId`, byte for byte", async () => {
    const server = new FakeChatServer();
    const [alice, bob] = await Promise.all([server.createPerson({ devices: [1] }), server.createPerson({ devices: [1] })]);
    const [aliceDevice, bobDevice] = [alice.devices[0]!, bob.devices[0]!];
    const payload = "c2VhbGVkIGJlZm9yZQ";
    await bobDevice.ctx.storage.putOutboxItem({
      id: crypto.randomUUID(),
      createdAt: Date.now(),
      peerUserId: alice.userId,
      content: text("sealed before"),
      syncToOwnDevices: false,
      attempts: 0,
      nextAttemptAt: 0,
      envelopes: [{ deviceId: aliceDevice.rowId, payload }],
    });
    const bobOutbox = outbox(bobDevice);
    bobOutbox.outbox.kick();
    await until(() => bobOutbox.sent.length > 0);
    expect(server.queued(aliceDevice.rowId).map((e) => e.payload)).toEqual([payload]);
    expect(bobOutbox.sent[0]!.delivered).toEqual([aliceDevice.rowId]);
    expect(await bobDevice.ctx.storage.listOutbox()).toEqual([]);
  });
});

describe("send batches", () => {
  it("splits a large group message into requests under the body limit, keeping every envelope once and in order", () => {
    // 2,500 devices in the 16 KiB bucket: about 55 MB of base64url, far over one request.
    const payload = "A".repeat(Math.ceil(((16 * 1024 + 50) * 4) / 3));
    const envelopes = Array.from({ length: 2_500 }, () => ({ deviceRowId: crypto.randomUUID(), payload }));
    const batches = sendBatches(envelopes);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(JSON.stringify(batch).length).toBeLessThan(MAX_SEND_BATCH_BYTES + 100_000);
    expect(batches.flat()).toEqual(envelopes);
    // A small message to the same devices is one request.
    expect(sendBatches(envelopes.map((e) => ({ ...e, payload: "A".repeat(408) })))).toHaveLength(1);
  });
});
