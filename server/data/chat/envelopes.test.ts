// Envelope storage at the data layer: expiry (served never, swept always) and the retention cap.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { uniqueEmail, uniqueHandle } from "../../testing/unique";
import { person, system } from "../actor";
import { db } from "../db";
import { registerDevice } from "./devices";
import { enqueueEnvelopes, listPendingEnvelopes, MAX_UNDELIVERED_AGE_MS, sweepExpiredEnvelopes } from "./envelopes";

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
