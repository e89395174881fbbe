// Envelope storage at the data layer: expiry (served never, swept always), the retention cap,
// group sends that leave out blocked recipients; and, through the router, the batch limit and the
// envelope rate limit, charged per envelope.
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { enforceRateLimit, rateLimitRules } from "../../auth/rate-limits";
import { AppError } from "../../errors";
import { signedUpPerson, type TestPerson } from "../../testing/test-browser";
import { uniqueEmail, uniqueHandle } from "../../testing/unique";
import { person, system } from "../actor";
import { db } from "../db";
import { registerDevice } from "./devices";
import { enqueueEnvelopes, listPendingEnvelopes, MAX_ENVELOPES_PER_BATCH, MAX_UNDELIVERED_AGE_MS, sweepExpiredEnvelopes } from "./envelopes";

const purpose = "core.messaging" as const;
const bytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** A device of `actor` with random key bytes (the server checks lengths, never keys). */
function registerTestDevice(actor: ReturnType<typeof person>) {
  return registerDevice({
    actor,
    purpose,
    identityKey: bytes(33),
    linkSignature: null,
    signedPreKey: { keyId: 1, publicKey: bytes(33), signature: bytes(64) },
    lastResortKyberPreKey: { keyId: 2, publicKey: bytes(1185), signature: bytes(64) },
    oneTimePreKeys: [],
    kyberPreKeys: [],
  });
}

async function personWithDevice() {
  const user = await db().user.create({ data: { handle: uniqueHandle(), email: uniqueEmail(), passwordHash: "x", displayName: "Test" } });
  const actor = person(user.id);
  return { actor, device: await registerTestDevice(actor) };
}

describe("expired envelopes", () => {
  it("are not served after expiry and are deleted by the sweep, delivered or not", async () => {
    const sender = await personWithDevice();
    const recipient = await personWithDevice();
    const t0 = new Date("2031-01-01T00:00:00Z");
    const enqueue = (expiresInSeconds: number | null, now = t0) =>
      enqueueEnvelopes({
        actor: sender.actor,
        purpose,
        clientMessageId: randomUUID(),
        envelopes: [{ recipientDeviceRowId: recipient.device.rowId, payload: bytes(306), expiresInSeconds }],
        now,
      });
    // A millisecond apart: ids made in the same millisecond have no order among themselves.
    const short = (await enqueue(60)).envelopes[0]!.id;
    const long = (await enqueue(3600, new Date(t0.getTime() + 1))).envelopes[0]!.id;
    const forever = (await enqueue(null, new Date(t0.getTime() + 2))).envelopes[0]!.id;

    const pending = (now: Date) =>
      listPendingEnvelopes({ actor: recipient.actor, purpose, deviceRowId: recipient.device.rowId, after: null, now }).then((list) => list.map((e) => e.id));
    expect(await pending(t0)).toEqual([short, long, forever]);
    const later = new Date(t0.getTime() + 61_000);
    expect(await pending(later)).toEqual([long, forever]);

    const ids = [short, long, forever];
    expect((await sweepExpiredEnvelopes({ actor: system("test"), purpose, now: later })).deleted).toBeGreaterThanOrEqual(1);
    expect((await db().chatEnvelope.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } })).map((e) => e.id)).toEqual([long, forever]);

    // Undelivered envelopes without a timer are kept at most MAX_UNDELIVERED_AGE_MS.
    await sweepExpiredEnvelopes({ actor: system("test"), purpose, now: new Date(t0.getTime() + MAX_UNDELIVERED_AGE_MS + 1000) });
    expect(await db().chatEnvelope.count({ where: { id: { in: ids } } })).toBe(0);
  });
});

describe("retried sends", () => {
  it("store each message once, and every concurrent retry gets the same envelope ids", async () => {
    const sender = await personWithDevice();
    const phone = await personWithDevice();
    const laptop = await registerTestDevice(phone.actor);
    for (let round = 0; round < 5; round++) {
      const clientMessageId = randomUUID();
      const send = () =>
        enqueueEnvelopes({
          actor: sender.actor,
          purpose,
          clientMessageId,
          envelopes: [
            { recipientDeviceRowId: phone.device.rowId, payload: bytes(306), expiresInSeconds: null },
            { recipientDeviceRowId: laptop.rowId, payload: bytes(306), expiresInSeconds: null },
          ],
        });
      const results = await Promise.all(Array.from({ length: 8 }, send));
      const ids = results.map((r) => r.envelopes.map((e) => e.id).sort());
      for (const other of ids) expect(other).toEqual(ids[0]);
      expect(await db().chatEnvelope.count({ where: { id: { in: ids[0] } } })).toBe(2);
    }
    const pending = await listPendingEnvelopes({ actor: phone.actor, purpose, deviceRowId: phone.device.rowId, after: null, now: new Date() });
    expect(pending).toHaveLength(5);
  });
});

describe("a group send", () => {
  async function groupOfFour() {
    const [sender, bob, carol, dave] = await Promise.all([personWithDevice(), personWithDevice(), personWithDevice(), personWithDevice()]);
    const sendersLaptop = await registerTestDevice(sender.actor);
    // Carol blocked the sender; the sender blocked Dave.
    await db().block.create({ data: { blockerId: carol.actor.userId, blockedId: sender.actor.userId } });
    await db().block.create({ data: { blockerId: sender.actor.userId, blockedId: dave.actor.userId } });
    const devices = [bob.device.rowId, carol.device.rowId, dave.device.rowId, sendersLaptop.rowId];
    return { sender, bob, carol, dave, devices, sendersLaptop };
  }

  const send = (actor: ReturnType<typeof person>, devices: string[], options: { group?: boolean; clientMessageId?: string } = {}) =>
    enqueueEnvelopes({
      actor,
      purpose,
      clientMessageId: options.clientMessageId ?? randomUUID(),
      envelopes: devices.map((recipientDeviceRowId) => ({ recipientDeviceRowId, payload: bytes(306), expiresInSeconds: null })),
      group: options.group,
    });

  it("leaves out the devices of people blocked either way, stores nothing for them, and lists only what it stored", async () => {
    const { sender, carol, dave, devices, bob, sendersLaptop } = await groupOfFour();
    const clientMessageId = randomUUID();
    const { envelopes } = await send(sender.actor, devices, { group: true, clientMessageId });
    expect(envelopes.map((e) => e.recipientDeviceRowId)).toEqual([bob.device.rowId, sendersLaptop.rowId]);
    expect(await db().chatEnvelope.count({ where: { recipientDeviceId: { in: [carol.device.rowId, dave.device.rowId] } } })).toBe(0);
    expect(await db().chatEnvelope.count({ where: { id: { in: envelopes.map((e) => e.id) } } })).toBe(2);
    // A retry stores nothing new and answers with the same ids.
    expect((await send(sender.actor, devices, { group: true, clientMessageId })).envelopes).toEqual(envelopes);

    // Everyone left out: nothing stored, nothing refused.
    expect(await send(sender.actor, [carol.device.rowId, dave.device.rowId], { group: true })).toEqual({ envelopes: [], wakeable: [] });
    // An unknown device still refuses the whole batch (the sender's list is stale).
    await expect(send(sender.actor, [bob.device.rowId, randomUUID()], { group: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is needed for that: without it, one blocked recipient refuses the whole batch", async () => {
    const { sender, devices, bob } = await groupOfFour();
    for (const group of [false, undefined]) {
      const refused = await send(sender.actor, devices, { group }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe("BLOCKED");
    }
    expect(await db().chatEnvelope.count({ where: { recipientDeviceId: bob.device.rowId } })).toBe(0);
  });
});

describe("through the router", () => {
  const envelopeBytes = () => Buffer.from(bytes(306)).toString("base64url");
  const sendVia = (sender: TestPerson, devices: string[], group?: boolean) =>
    sender.call((api) =>
      api.chat.envelopes.send({ clientMessageId: randomUUID(), group, envelopes: devices.map((deviceRowId) => ({ deviceRowId, payload: envelopeBytes() })) }),
    );
  const codesOf = (error: unknown) => {
    expect(error).toBeInstanceOf(TRPCError);
    const cause = (error as TRPCError).cause as (AppError & { issues?: { message: string }[] }) | undefined;
    return { code: (error as TRPCError).code, cause: cause?.issues ? cause.issues.map((i) => i.message) : [cause?.code] };
  };
  async function devicesOf(owner: TestPerson, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await registerTestDevice(person(owner.id))).rowId);
    return ids;
  }

  it(`takes up to ${MAX_ENVELOPES_PER_BATCH} envelopes and refuses ${MAX_ENVELOPES_PER_BATCH + 1} as a bad request`, async () => {
    const sender = await signedUpPerson();
    const tooMany = Array.from({ length: MAX_ENVELOPES_PER_BATCH + 1 }, () => randomUUID());
    expect(codesOf(await sendVia(sender, tooMany).catch((e: unknown) => e))).toEqual({ code: "BAD_REQUEST", cause: ["too_many_devices"] });
    // Exactly the limit passes the schema (the devices do not exist, so the data layer answers).
    expect(codesOf(await sendVia(sender, tooMany.slice(1)).catch((e: unknown) => e))).toEqual({ code: "NOT_FOUND", cause: ["NOT_FOUND"] });
  });

  it("charges the envelope limit with each batch's size, besides one call under the message limit", async () => {
    const [sender, recipient] = await Promise.all([signedUpPerson(), signedUpPerson()]);
    const devices = await devicesOf(recipient, 3);
    const { max } = rateLimitRules.envelopesPerAccount;
    expect((await sendVia(sender, devices)).envelopes).toHaveLength(3);
    await enforceRateLimit(rateLimitRules.envelopesPerAccount, sender.id, undefined, max - 4);
    // 3 + (max − 4) + 1 = max: the last envelope allowed.
    expect((await sendVia(sender, devices.slice(0, 1))).envelopes).toHaveLength(1);
    const refused = codesOf(await sendVia(sender, devices.slice(0, 1)).catch((e: unknown) => e));
    expect(refused).toEqual({ code: "TOO_MANY_REQUESTS", cause: ["RATE_LIMITED"] });
    // Someone else still sends.
    const other = await signedUpPerson();
    expect((await sendVia(other, devices)).envelopes).toHaveLength(3);
  });

  it("passes the group flag on: left out with it, BLOCKED without", async () => {
    const [sender, bob, carol] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    const [bobsDevice] = await devicesOf(bob, 1);
    const [carolsDevice] = await devicesOf(carol, 1);
    await db().block.create({ data: { blockerId: carol.id, blockedId: sender.id } });
    const sent = await sendVia(sender, [bobsDevice!, carolsDevice!], true);
    expect(sent.envelopes.map((e) => e.recipientDeviceRowId)).toEqual([bobsDevice]);
    expect(codesOf(await sendVia(sender, [bobsDevice!, carolsDevice!]).catch((e: unknown) => e))).toEqual({ code: "FORBIDDEN", cause: ["BLOCKED"] });
  });
});
