// The chat delivery API end to end through tRPC's caller, on the real test database: devices and
// prekeys, device lists, idempotent sealed envelopes, acknowledgements, and the SSE stream woken by
// Postgres LISTEN/NOTIFY.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { person } from "../../data/actor";
import { enqueueEnvelopes, MAX_ENVELOPES_PER_BATCH } from "../../data/chat/envelopes";
import { envelopeBus } from "../../data/realtime/notify-bus";
import { signedUpPerson, type TestPerson } from "../../testing/test-browser";
import { connectTestDatabase, expectError, kyberKeys, oneTimeKeys, openStream, randomBytes, registerDevice } from "./chat-testing";

// What the database holds is checked with plain SQL: this module's code may not import Prisma.
const database = connectTestDatabase();
afterAll(async () => {
  await envelopeBus().close();
});

async function countRows(table: string, column: string, ids: string[]): Promise<number> {
  const { rows } = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = ANY($1::uuid[])`, [ids]);
  return rows[0]!.n;
}

async function block(blockerId: string, blockedId: string) {
  await database.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blockerId, blockedId]);
}

/** A sealed envelope padded to the smallest bucket: 34 + 256 + 16 bytes. */
const envelopeBytes = () => randomBytes(306);

async function send(sender: TestPerson, deviceRowIds: string[], clientMessageId: string = randomUUID(), expiresInSeconds?: number) {
  return sender.call((api) =>
    api.chat.envelopes.send({ clientMessageId, envelopes: deviceRowIds.map((deviceRowId) => ({ deviceRowId, payload: envelopeBytes(), expiresInSeconds })) }),
  );
}

describe("devices and prekeys", () => {
  it("register with consecutive device numbers, list only the owner's active devices, and count prekeys", async () => {
    const alice = await signedUpPerson();
    const first = await registerDevice(alice, { oneTime: 5, kyber: 3 });
    const second = await registerDevice(alice);
    expect([first.deviceId, second.deviceId]).toEqual([1, 2]);

    const counts = await alice.call((api) => api.chat.prekeys.count({ deviceRowId: first.rowId }));
    expect(counts).toMatchObject({ oneTimePreKeys: 5, kyberPreKeys: 3, signedPreKeyId: 1, lastResortKyberPreKeyId: 0xffff_fff0 });

    const replenished = await alice.call((api) =>
      api.chat.prekeys.publish({
        deviceRowId: first.rowId,
        signedPreKey: { keyId: 2, publicKey: randomBytes(33), signature: randomBytes(64) },
        oneTimePreKeys: oneTimeKeys(6, 10),
        kyberPreKeys: kyberKeys(4, 2),
      }),
    );
    expect(replenished).toMatchObject({ oneTimePreKeys: 15, kyberPreKeys: 5, signedPreKeyId: 2 });
    expect(await countRows("chat_signed_pre_keys", "device_row_id", [first.rowId])).toBe(1);

    await alice.call((api) => api.chat.devices.revoke({ deviceRowId: second.rowId }));
    const devices = await alice.call((api) => api.chat.devices.list());
    expect(devices.map((d) => d.deviceId)).toEqual([1]);
    // A revoked device's number is never given again.
    expect((await registerDevice(alice)).deviceId).toBe(3);

    const bob = await signedUpPerson();
    await expectError(
      bob.call((api) => api.chat.prekeys.count({ deviceRowId: first.rowId })),
      "FORBIDDEN",
    );
    await expectError(
      bob.call((api) => api.chat.devices.revoke({ deviceRowId: first.rowId })),
      "NOT_FOUND",
    );
  });

  it("refuse keys of the wrong length and non-canonical base64url", async () => {
    const alice = await signedUpPerson();
    const register = (identityKey: string) =>
      alice.call((api) =>
        api.chat.devices.register({
          identityKey,
          signedPreKey: { keyId: 1, publicKey: randomBytes(33), signature: randomBytes(64) },
          lastResortKyberPreKey: { keyId: 2, publicKey: randomBytes(1185), signature: randomBytes(64) },
        }),
      );
    await expectError(register(randomBytes(32)), "BAD_REQUEST", "bytes_length_invalid");
    await expectError(register(`${randomBytes(33)}=`), "BAD_REQUEST", "bytes_invalid");
  });
});

describe("prekey bundles", () => {
  it("claim a different one-time prekey each time, then fall back to the last-resort ML-KEM key", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob, { oneTime: 2, kyber: 2 });

    const fetchBundle = async () => {
      const bundle = await alice.call((api) => api.chat.bundles.forUser({ handle: bob.handle.toUpperCase() }));
      expect(bundle.userId).toBe(bob.id);
      expect(bundle.devices).toHaveLength(1);
      return bundle.devices[0]!;
    };
    const first = await fetchBundle();
    const second = await fetchBundle();
    const third = await fetchBundle();
    expect(first.rowId).toBe(device.rowId);
    expect([first.oneTimePreKey?.keyId, second.oneTimePreKey?.keyId, third.oneTimePreKey]).toEqual([1, 2, null]);
    expect([first.kyberPreKey, second.kyberPreKey, third.kyberPreKey].map((k) => [k.keyId, k.lastResort])).toEqual([
      [1, false],
      [2, false],
      [0xffff_fff0, true],
    ]);
    expect(Buffer.from(third.kyberPreKey.publicKey, "base64url")).toHaveLength(1185);
    // The last-resort key stays; claimed one-time keys are gone.
    expect((await fetchBundle()).kyberPreKey.lastResort).toBe(true);
    expect(await bob.call((api) => api.chat.prekeys.count({ deviceRowId: device.rowId }))).toMatchObject({ oneTimePreKeys: 0, kyberPreKeys: 0 });
  });

  it("hand out each one-time prekey once under concurrent fetches", async () => {
    const bob = await signedUpPerson();
    await registerDevice(bob, { oneTime: 8, kyber: 8 });
    const fetchers = await Promise.all(Array.from({ length: 4 }, () => signedUpPerson()));
    const bundles = await Promise.all(fetchers.flatMap((f) => [1, 2].map(() => f.call((api) => api.chat.bundles.forUser({ handle: bob.handle })))));
    const claimed = bundles.map((b) => b.devices[0]!.oneTimePreKey?.keyId);
    expect(new Set(claimed).size).toBe(8);
    expect(claimed).not.toContain(undefined);
  });

  it("are found by user id as by handle, and only for the devices asked for", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const phone = await registerDevice(bob, { oneTime: 3, kyber: 3 });
    const laptop = await registerDevice(bob, { oneTime: 3, kyber: 3 });

    const all = await alice.call((api) => api.chat.bundles.forUser({ userId: bob.id.toUpperCase() }));
    expect(all.userId).toBe(bob.id);
    expect(all.devices.map((d) => d.rowId)).toEqual([phone.rowId, laptop.rowId]);

    // Only the laptop's keys are claimed; the phone keeps what it had left.
    const someone = randomUUID();
    const one = await alice.call((api) => api.chat.bundles.forUser({ handle: bob.handle, deviceRowIds: [laptop.rowId, someone] }));
    expect(one.devices.map((d) => [d.rowId, d.oneTimePreKey?.keyId, d.kyberPreKey.keyId])).toEqual([[laptop.rowId, 2, 2]]);
    expect(await bob.call((api) => api.chat.prekeys.count({ deviceRowId: phone.rowId }))).toMatchObject({ oneTimePreKeys: 2, kyberPreKeys: 2 });
    expect(await bob.call((api) => api.chat.prekeys.count({ deviceRowId: laptop.rowId }))).toMatchObject({ oneTimePreKeys: 1, kyberPreKeys: 1 });

    // Another account's device is not the asked account's: nothing is returned or claimed for it.
    const carol = await signedUpPerson();
    const carolDevice = await registerDevice(carol, { oneTime: 1 });
    expect((await alice.call((api) => api.chat.bundles.forUser({ userId: bob.id, deviceRowIds: [carolDevice.rowId] }))).devices).toEqual([]);
    expect(await carol.call((api) => api.chat.prekeys.count({ deviceRowId: carolDevice.rowId }))).toMatchObject({ oneTimePreKeys: 1 });

    await expectError(
      alice.call((api) => api.chat.bundles.forUser({ userId: randomUUID() })),
      "NOT_FOUND",
      "NOT_FOUND",
    );
    await expectError(
      alice.call((api) => api.chat.bundles.forUser({ userId: bob.id, deviceRowIds: Array.from({ length: 51 }, () => randomUUID()) })),
      "BAD_REQUEST",
      "too_many_devices",
    );
    await expectError(
      alice.call((api) => api.chat.bundles.forUser({ userId: bob.id, deviceRowIds: [] })),
      "BAD_REQUEST",
      "device_ids_empty",
    );
  });

  it("take exactly one of handle and user id", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const both = { handle: bob.handle, userId: bob.id } as unknown as { handle: string };
    await expectError(
      alice.call((api) => api.chat.bundles.forUser(both)),
      "BAD_REQUEST",
      "handle_or_user_id_required",
    );
    await expectError(
      alice.call((api) => api.chat.deviceList.get({} as { handle: string })),
      "BAD_REQUEST",
      "handle_or_user_id_required",
    );
    await expectError(
      alice.call((api) => api.chat.deviceList.get({ handle: "no spaces" })),
      "BAD_REQUEST",
      "handle_invalid_characters",
    );
    await expectError(
      alice.call((api) => api.chat.deviceList.get({ userId: "not-a-uuid" })),
      "BAD_REQUEST",
      "id_invalid",
    );
  });

  it("are refused when either side blocked the other", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    await registerDevice(bob);
    await block(bob.id, alice.id);
    await expectError(
      alice.call((api) => api.chat.bundles.forUser({ handle: bob.handle })),
      "FORBIDDEN",
      "BLOCKED",
    );
    await expectError(
      bob.call((api) => api.chat.bundles.forUser({ handle: alice.handle })),
      "FORBIDDEN",
      "BLOCKED",
    );
    await expectError(
      alice.call((api) => api.chat.deviceList.get({ handle: bob.handle })),
      "FORBIDDEN",
      "BLOCKED",
    );
    await expectError(
      alice.call((api) => api.chat.bundles.forUser({ userId: bob.id })),
      "FORBIDDEN",
      "BLOCKED",
    );
    await expectError(
      alice.call((api) => api.chat.deviceList.get({ userId: bob.id })),
      "FORBIDDEN",
      "BLOCKED",
    );
  });
});

describe("device lists", () => {
  it("accept only a strictly increasing version", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    expect(await bob.call((api) => api.chat.deviceList.get({ handle: alice.handle }))).toBeNull();
    const v1 = randomBytes(200);
    await alice.call((api) => api.chat.deviceList.publish({ version: 1, signedList: v1 }));
    await expectError(
      alice.call((api) => api.chat.deviceList.publish({ version: 1, signedList: randomBytes(200) })),
      "FORBIDDEN",
      "FORBIDDEN",
    );
    const v5 = randomBytes(300);
    await alice.call((api) => api.chat.deviceList.publish({ version: 5, signedList: v5 }));
    await expectError(
      alice.call((api) => api.chat.deviceList.publish({ version: 4, signedList: v1 })),
      "FORBIDDEN",
    );
    expect(await bob.call((api) => api.chat.deviceList.get({ handle: alice.handle }))).toMatchObject({ version: 5, signedList: v5 });
    expect(await bob.call((api) => api.chat.deviceList.get({ userId: alice.id }))).toMatchObject({ version: 5, signedList: v5 });
  });
});

describe("envelopes", () => {
  it("are stored once per device however often a send is retried, and name no sender", async () => {
    const alice = await signedUpPerson();
    const aliceDevice = await registerDevice(alice);
    const bob = await signedUpPerson();
    const bobPhone = await registerDevice(bob);
    const bobLaptop = await registerDevice(bob);
    const clientMessageId = randomUUID();

    const first = await send(alice, [bobPhone.rowId, bobLaptop.rowId], clientMessageId);
    const retry = await send(alice, [bobPhone.rowId, bobLaptop.rowId], clientMessageId);
    expect(retry).toEqual(first);
    expect(new Set(first.envelopes.map((e) => e.id)).size).toBe(2);
    expect(await countRows("chat_envelopes", "recipient_device_id", [bobPhone.rowId, bobLaptop.rowId])).toBe(2);

    const columns = await database.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'chat_envelopes' ORDER BY column_name",
    );
    expect(columns.rows.map((c) => c.column_name)).toEqual(["created_at", "dedup_key", "expires_at", "franking", "id", "payload", "recipient_device_id"]);
    const { rows } = await database.query("SELECT * FROM chat_envelopes WHERE id = $1", [first.envelopes[0]!.id]);
    expect(rows).toHaveLength(1);
    const row = Object.values(rows[0] as Record<string, unknown>)
      .map((value) => (Buffer.isBuffer(value) ? value.toString("hex") : String(value)))
      .join(" ");
    for (const secret of [alice.id, aliceDevice.rowId, alice.handle, clientMessageId]) {
      expect(row).not.toContain(secret);
      expect(row).not.toContain(secret.replaceAll("-", ""));
    }
    // The two copies of one message share no stored value but their time.
    const copies = await database.query<{ dedup_key: Buffer }>("SELECT dedup_key FROM chat_envelopes WHERE id = ANY($1::uuid[])", [
      first.envelopes.map((e) => e.id),
    ]);
    expect(copies.rows).toHaveLength(2);
    expect(copies.rows[0]!.dedup_key.equals(copies.rows[1]!.dedup_key)).toBe(false);
  });

  it("refuse unpadded payloads, revoked devices and blocked senders", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob);
    await expectError(
      alice.call((api) => api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId: device.rowId, payload: randomBytes(300) }] })),
      "BAD_REQUEST",
      "envelope_not_padded",
    );
    await expectError(
      alice.call((api) =>
        api.chat.envelopes.send({
          clientMessageId: randomUUID(),
          envelopes: Array.from({ length: MAX_ENVELOPES_PER_BATCH + 1 }, () => ({ deviceRowId: randomUUID(), payload: envelopeBytes() })),
        }),
      ),
      "BAD_REQUEST",
      "too_many_devices",
    );
    const stale = await registerDevice(bob);
    await bob.call((api) => api.chat.devices.revoke({ deviceRowId: stale.rowId }));
    await expectError(send(alice, [device.rowId, stale.rowId]), "NOT_FOUND");
    await block(bob.id, alice.id);
    await expectError(send(alice, [device.rowId]), "FORBIDDEN", "BLOCKED");
    expect(await countRows("chat_envelopes", "recipient_device_id", [device.rowId])).toBe(0);
  });

  it("from someone blocked from a message request are refused as from anyone blocked", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob);
    await send(alice, [device.rowId]);
    await bob.call((api) => api.chat.blocks.block({ userId: alice.id }));
    // The same answer as a block made on the social side (above), and nothing stored.
    await expectError(send(alice, [device.rowId]), "FORBIDDEN", "BLOCKED");
    expect(await countRows("chat_envelopes", "recipient_device_id", [device.rowId])).toBe(1);
  });

  it("are deleted by their recipient's acknowledgement, and by no one else's", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob);
    const { envelopes } = await send(alice, [device.rowId]);
    const ids = envelopes.map((e) => e.id);

    expect(await alice.call((api) => api.chat.envelopes.ack({ ids }))).toEqual({ deleted: 0 });
    expect(await countRows("chat_envelopes", "id", ids)).toBe(1);
    expect(await bob.call((api) => api.chat.envelopes.ack({ ids }))).toEqual({ deleted: 1 });
    expect(await countRows("chat_envelopes", "id", ids)).toBe(0);
  });

  it("of a revoked device are deleted with its prekeys", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob, { oneTime: 3, kyber: 3 });
    await send(alice, [device.rowId]);
    await bob.call((api) => api.chat.devices.revoke({ deviceRowId: device.rowId }));
    expect(await countRows("chat_envelopes", "recipient_device_id", [device.rowId])).toBe(0);
    expect(await countRows("chat_one_time_pre_keys", "device_row_id", [device.rowId])).toBe(0);
    expect(await countRows("chat_kyber_pre_keys", "device_row_id", [device.rowId])).toBe(0);
    expect((await alice.call((api) => api.chat.bundles.forUser({ handle: bob.handle }))).devices).toEqual([]);
  });
});

describe("the envelope stream", () => {
  it("is refused for another account's device", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob);
    await expectError(openStream(alice, { deviceRowId: device.rowId }), "FORBIDDEN");
  });

  it("yields pending envelopes, then new ones as NOTIFY wakes it", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob);
    const sent = await send(alice, [device.rowId]);

    const stream = await openStream(bob, { deviceRowId: device.rowId });
    try {
      const pending = await stream.next();
      expect(pending.id).toBe(sent.envelopes[0]!.id);
      expect(Buffer.from(pending.data.payload, "base64url")).toHaveLength(306);

      // Waiting now: only the NOTIFY of the next send can wake the stream within the timeout
      // (without one it re-reads only after 25 s).
      const waiting = stream.next(3_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const later = await send(alice, [device.rowId], randomUUID(), 3600);
      const woken = await waiting;
      expect(woken.id).toBe(later.envelopes[0]!.id);
      expect(woken.data.expiresAt).toBeInstanceOf(Date);
    } finally {
      await stream.close();
    }
  });

  it("still delivers an envelope whose id is older than one already sent (a late commit)", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob);
    const first = await send(alice, [device.rowId]);
    const stream = await openStream(bob, { deviceRowId: device.rowId });
    try {
      expect((await stream.next()).id).toBe(first.envelopes[0]!.id);
      const waiting = stream.next(3_000);
      // Stored with a clock two seconds behind, as a transaction that began earlier would be.
      const late = await enqueueEnvelopes({
        actor: person(alice.id),
        purpose: "core.messaging",
        clientMessageId: randomUUID(),
        envelopes: [{ recipientDeviceRowId: device.rowId, payload: Buffer.from(envelopeBytes(), "base64url"), expiresInSeconds: null }],
        now: new Date(Date.now() - 2_000),
      });
      expect(late.envelopes[0]!.id < first.envelopes[0]!.id).toBe(true);
      expect((await waiting).id).toBe(late.envelopes[0]!.id);
    } finally {
      await stream.close();
    }
  });

  it("ends with FORBIDDEN when its device is revoked", async () => {
    const bob = await signedUpPerson();
    const phone = await registerDevice(bob);
    const laptop = await registerDevice(bob);
    const stream = await openStream(bob, { deviceRowId: laptop.rowId });
    try {
      const waiting = stream.next(3_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await bob.call((api) => api.chat.devices.revoke({ deviceRowId: laptop.rowId }));
      await expect(waiting).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(openStream(bob, { deviceRowId: laptop.rowId })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await (await openStream(bob, { deviceRowId: phone.rowId })).close();
    } finally {
      await stream.close();
    }
  });

  it("resumes from shortly before lastEventId: an unacknowledged envelope with an older id is not skipped", async () => {
    // Two instances make ids; one with an older id can commit after the one the client saw last.
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const device = await registerDevice(bob);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await send(alice, [device.rowId])).envelopes[0]!.id);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    // The client saw ids[2] last; ids[0] was acknowledged, ids[1] was not (as if it committed late).
    await bob.call((api) => api.chat.envelopes.ack({ ids: [ids[0]!] }));
    const stream = await openStream(bob, { deviceRowId: device.rowId, lastEventId: ids[2] });
    try {
      expect((await stream.next()).id).toBe(ids[1]);
      expect((await stream.next()).id).toBe(ids[2]);
      expect((await stream.next()).id).toBe(ids[3]);
      await expect(stream.next(500)).rejects.toThrow("no envelope");
    } finally {
      await stream.close();
    }
  });
});
