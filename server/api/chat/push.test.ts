// Notifications while Hearth is closed, through tRPC's caller against the real test database and
// the run's FAKE push service (scripts/push/fake-push-service.ts, standing in for a browser
// vendor's): a device is woken only after it opted in, only while its delivery stream is closed,
// at most once while its messages stay unread, never by its own person's sends; the wake-up is
// encrypted (aes128gcm) and the same size whatever the message; a gone address, a withdrawal and a
// removed device each delete the subscription; each address kept or deleted is in its person's
// access log, naming only the push service's host.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { envelopeBus } from "../../data/realtime/notify-bus";
import { pushesReceivedAt, type RecordedPush } from "../../../scripts/push/fake-push-service";
import { signedUpPerson, type TestPerson } from "../../testing/test-browser";
import { browserPushSubscription, connectTestDatabase, expectError, openStream, randomBytes, registerDevice } from "./chat-testing";

const database = connectTestDatabase();
afterAll(async () => {
  await envelopeBus().close();
});

/** How long a wake-up that should not come is waited for. */
const QUIET_MS = 700;

async function subscribed(owner: TestPerson, options: { gone?: boolean; locale?: "en" | "de" } = {}) {
  const device = await registerDevice(owner);
  const subscription = browserPushSubscription({ gone: options.gone });
  await owner.call((api) => api.chat.push.subscribe({ deviceRowId: device.rowId, ...subscription, locale: options.locale ?? "en" }));
  return { device, endpoint: subscription.endpoint };
}

async function send(sender: TestPerson, deviceRowIds: string[]) {
  return sender.call((api) =>
    api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: deviceRowIds.map((deviceRowId) => ({ deviceRowId, payload: randomBytes(306) })) }),
  );
}

/** The pushes received at `endpoint` once there are `count` (or after `ms`, whatever there are). */
async function pushesAt(endpoint: string, count: number, ms = 5_000): Promise<RecordedPush[]> {
  const until = Date.now() + ms;
  for (;;) {
    const pushes = await pushesReceivedAt(endpoint);
    if (pushes.length >= count || Date.now() > until) return pushes;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function subscriptionRows(deviceRowId: string): Promise<number> {
  const { rows } = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM chat_push_subscriptions WHERE device_row_id = $1", [deviceRowId]);
  return rows[0]!.n;
}

/** The person's access-log entries about push addresses, oldest first. */
async function pushLog(owner: TestPerson) {
  const { entries } = await owner.call((api) => api.privacy.accessLog({ filter: "push_notifications" }));
  return entries.map(({ accessor, action, detail, categories }) => ({ accessor, action, detail, categories })).reverse();
}

/** The host of the run's fake push service, the one part of an address the log names. */
const serviceHost = (endpoint: string) => new URL(endpoint).host;

/** Lets the claim of the next send see a past wake-up as more than a minute old, as if the person had not come back for a while. */
async function ageWakeups(deviceRowId: string) {
  await database.query("UPDATE chat_push_subscriptions SET last_pushed_at = last_pushed_at - interval '2 minutes' WHERE device_row_id = $1", [deviceRowId]);
}

describe("opting in", () => {
  it("stores a subscription only for one's own active device, after which status says so", async () => {
    const [alice, mallory] = await Promise.all([signedUpPerson(), signedUpPerson()]);
    const device = await registerDevice(alice);
    expect(await alice.call((api) => api.chat.push.status({ deviceRowId: device.rowId }))).toEqual({ subscribed: false });
    const { publicKey } = await alice.call((api) => api.chat.push.publicKey());
    expect(Buffer.from(publicKey, "base64url")).toHaveLength(65);

    await expectError(
      mallory.call((api) => api.chat.push.subscribe({ deviceRowId: device.rowId, ...browserPushSubscription(), locale: "en" })),
      "FORBIDDEN",
    );
    await alice.call((api) => api.chat.push.subscribe({ deviceRowId: device.rowId, ...browserPushSubscription(), locale: "de" }));
    expect(await alice.call((api) => api.chat.push.status({ deviceRowId: device.rowId }))).toEqual({ subscribed: true });
    expect(await mallory.call((api) => api.chat.push.status({ deviceRowId: device.rowId }))).toEqual({ subscribed: false });
    const consents = await alice.call((api) => api.privacy.consents());
    expect(consents.find((c) => c.purpose === "push_notifications")?.state).toBe("granted");
    const [added, ...more] = await pushLog(alice);
    expect(more).toEqual([]);
    expect(added).toEqual({
      accessor: "person",
      action: "push_subscription_added",
      detail: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      categories: ["push address"],
    });
    expect(await pushLog(mallory)).toEqual([]);
  });

  it("refuses a push address outside the allowed push services, so the server cannot be sent anywhere", async () => {
    const alice = await signedUpPerson();
    const device = await registerDevice(alice);
    for (const endpoint of ["http://127.0.0.1:5432/", "https://internal.example/push", "https://user:pw@fcm.googleapis.com/fcm/send/x", "file:///etc/passwd"]) {
      await expectError(
        alice.call((api) => api.chat.push.subscribe({ deviceRowId: device.rowId, ...browserPushSubscription(), endpoint, locale: "en" })),
        "BAD_REQUEST",
      );
    }
    expect(await subscriptionRows(device.rowId)).toBe(0);
  });
});

describe("wake-ups", () => {
  it("a message to an offline device sends one encrypted wake-up of a fixed size, without content or sender", async () => {
    const [alice, bob, carol] = await Promise.all([signedUpPerson(), signedUpPerson(), signedUpPerson()]);
    const english = await subscribed(bob, { locale: "en" });
    const german = await subscribed(carol, { locale: "de" });
    const answer = await send(alice, [english.device.rowId]);
    await send(alice, [german.device.rowId]);
    // The sender learns the envelope's id, not whether the device can be woken.
    expect(Object.keys(answer)).toEqual(["envelopes"]);
    const [toBob] = await pushesAt(english.endpoint, 1);
    const [toCarol] = await pushesAt(german.endpoint, 1);
    const { publicKey } = await bob.call((api) => api.chat.push.publicKey());
    for (const push of [toBob!, toCarol!]) {
      expect(push.headers["content-encoding"]).toBe("aes128gcm");
      expect(push.headers["content-type"]).toBe("application/octet-stream");
      expect(Number(push.headers.ttl)).toBeGreaterThan(0);
      expect(push.headers.topic).toBe("hearth-new-message");
      // VAPID (RFC 8292): a signed token and the server's public key, nothing of the sender's.
      expect(push.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${publicKey}$`));
      const body = Buffer.from(push.body, "base64");
      // RFC 8188 header (16-byte salt, record size, 65-byte server key) + 128 padded bytes + delimiter + 16-byte tag.
      expect(body).toHaveLength(16 + 4 + 1 + 65 + 128 + 1 + 16);
      for (const secret of [alice.handle, alice.id, "lang", '"v"']) expect(body.includes(Buffer.from(secret))).toBe(false);
      expect(JSON.stringify(push.headers)).not.toContain(alice.handle);
    }
  });

  it("coalesces: one wake-up while the messages stay unread, a new one after the device came back", async () => {
    const [alice, bob] = await Promise.all([signedUpPerson(), signedUpPerson()]);
    const { device, endpoint } = await subscribed(bob);
    await send(alice, [device.rowId]);
    await pushesAt(endpoint, 1);
    await send(alice, [device.rowId]);
    await send(alice, [device.rowId]);
    expect(await pushesAt(endpoint, 2, QUIET_MS)).toHaveLength(1);

    // More than a minute later, still unread: one reminder.
    await ageWakeups(device.rowId);
    await send(alice, [device.rowId]);
    expect(await pushesAt(endpoint, 2)).toHaveLength(2);

    // Bob opens Hearth (his stream connects and reads) and closes it: the next message wakes him at once.
    const stream = await openStream(bob, { deviceRowId: device.rowId });
    expect((await stream.next()).id).toBeTruthy();
    await stream.close();
    await send(alice, [device.rowId]);
    expect(await pushesAt(endpoint, 3)).toHaveLength(3);
  });

  it("sends nothing to a device whose delivery stream is open, nor for a person's own sends to their other devices", async () => {
    const [alice, bob] = await Promise.all([signedUpPerson(), signedUpPerson()]);
    const { device, endpoint } = await subscribed(bob);
    const stream = await openStream(bob, { deviceRowId: device.rowId });
    try {
      const arriving = stream.next();
      await expect
        .poll(
          async () =>
            (await database.query("SELECT stream_seen_at FROM chat_push_subscriptions WHERE device_row_id = $1", [device.rowId])).rows[0]?.stream_seen_at,
        )
        .not.toBeNull();
      await send(alice, [device.rowId]);
      await arriving;
      expect(await pushesAt(endpoint, 1, QUIET_MS)).toHaveLength(0);
    } finally {
      await stream.close();
    }

    // Bob writes from his phone: the copy for his own (closed, subscribed) laptop wakes nothing.
    const phone = await registerDevice(bob);
    await send(bob, [device.rowId, phone.rowId]);
    expect(await pushesAt(endpoint, 1, QUIET_MS)).toHaveLength(0);
    // Alice's message does.
    await send(alice, [device.rowId]);
    expect(await pushesAt(endpoint, 1)).toHaveLength(1);
  });
});

describe("deleting subscriptions", () => {
  it("when the push service says the address is gone (410)", async () => {
    const [alice, bob] = await Promise.all([signedUpPerson(), signedUpPerson()]);
    const { device, endpoint } = await subscribed(bob, { gone: true });
    await send(alice, [device.rowId]);
    await pushesAt(endpoint, 1);
    await expect.poll(() => subscriptionRows(device.rowId)).toBe(0);
    await expect
      .poll(async () => (await pushLog(bob)).map((e) => [e.accessor, e.action, e.detail]))
      .toEqual([
        ["person", "push_subscription_added", serviceHost(endpoint)],
        ["system", "push_subscription_gone", serviceHost(endpoint)],
      ]);
    // The address's secret path is in no entry.
    expect(JSON.stringify(await pushLog(bob))).not.toContain(new URL(endpoint).pathname);
  });

  it("when the person withdraws push_notifications on the privacy dashboard: every device's, and no wake-up after", async () => {
    const [alice, bob] = await Promise.all([signedUpPerson(), signedUpPerson()]);
    const laptop = await subscribed(bob);
    const phone = await subscribed(bob);
    await bob.call((api) => api.privacy.decide({ purpose: "push_notifications", granted: false, source: "settings/privacy" }));
    expect((await subscriptionRows(laptop.device.rowId)) + (await subscriptionRows(phone.device.rowId))).toBe(0);
    await send(alice, [laptop.device.rowId, phone.device.rowId]);
    expect(await pushesAt(laptop.endpoint, 1, QUIET_MS)).toHaveLength(0);
    expect(await pushesAt(phone.endpoint, 1, 0)).toHaveLength(0);
    expect((await pushLog(bob)).map((e) => e.action)).toEqual([
      "push_subscription_added",
      "push_subscription_added",
      "push_subscription_withdrawn",
      "push_subscription_withdrawn",
    ]);
  });

  it("when the device opts out or is removed", async () => {
    const bob = await signedUpPerson();
    const laptop = await subscribed(bob);
    const phone = await subscribed(bob);
    await bob.call((api) => api.chat.push.unsubscribe({ deviceRowId: laptop.device.rowId }));
    expect(await subscriptionRows(laptop.device.rowId)).toBe(0);
    await bob.call((api) => api.chat.devices.revoke({ deviceRowId: phone.device.rowId }));
    expect(await subscriptionRows(phone.device.rowId)).toBe(0);
    expect((await pushLog(bob)).slice(2)).toEqual([
      { accessor: "person", action: "push_subscription_turned_off", detail: serviceHost(laptop.endpoint), categories: ["push address"] },
      { accessor: "person", action: "push_subscription_device_removed", detail: serviceHost(phone.endpoint), categories: ["push address"] },
    ]);
    // Nothing more for what was already gone.
    await bob.call((api) => api.chat.push.unsubscribe({ deviceRowId: laptop.device.rowId }));
    expect(await pushLog(bob)).toHaveLength(4);
  });
});
