// Web Push subscriptions of chat devices (notifications while Hearth is closed). Invariants: a
// subscription exists only for an active device of a person who opted in on it (the opt-in records
// the push_notifications grant in the same call); withdrawing the purpose, removing the device or
// deactivating the account deletes it; a wake-up is claimed in one statement, so instances sending
// at once claim it once, and never for a device whose delivery stream is open, nor more than once
// per COALESCE_MS while its messages stay unread. Every address kept or deleted is written to its
// person's access log (naming only the push service's host), so a person sees which services can
// wake which of their devices, and when that ended.
import "server-only";
import { system, type Actor, type PersonActor } from "../actor";
import { logAccess, type AccessActionCode } from "../consent/consent-gate";
import { peopleWithConsent, recordConsentDecision } from "../consent/consent-ledger";
import { purposeDefinition } from "../consent/purposes";
import { db } from "../db";
import { AppError } from "../../errors";

/** At most one wake-up per device this often while it has not connected since. */
export const COALESCE_MS = 60_000;
/** An open stream refreshes its mark this often; a mark older than STREAM_FRESH_MS is a closed stream. */
export const STREAM_MARK_EVERY_MS = 15_000;
const STREAM_FRESH_MS = 40_000;

export interface PushTarget {
  id: string;
  endpoint: string;
  p256dh: Uint8Array;
  auth: Uint8Array;
  locale: string;
}

/** The push service an address belongs to, by host: the rest of the address is the device's capability, never shown or exported. */
export function pushServiceHost(endpoint: string): string {
  return URL.canParse(endpoint) ? new URL(endpoint).host : "";
}

/** Writes a push address's change to its person's access log. */
export async function logPushSubscriptionChange(options: {
  subjectId: string;
  accessor: Actor;
  code: Extract<AccessActionCode, `push_subscription_${string}`>;
  endpoint: string;
  now?: Date;
}): Promise<void> {
  await logAccess({
    subjectId: options.subjectId,
    accessor: options.accessor,
    action: { code: options.code, detail: pushServiceHost(options.endpoint) },
    purpose: "push_notifications",
    categories: purposeDefinition("push_notifications").categories,
    now: options.now,
  });
}

/**
 * Stores (or replaces) the push subscription of one of the actor's active devices, and records the
 * push_notifications grant from the chat's notification settings.
 * @throws AppError FORBIDDEN unless the device is an active device of the actor
 */
export async function saveOwnPushSubscription(options: {
  actor: PersonActor;
  purpose: "push_notifications";
  deviceRowId: string;
  endpoint: string;
  p256dh: Uint8Array<ArrayBuffer>;
  auth: Uint8Array<ArrayBuffer>;
  locale: string;
  now?: Date;
}): Promise<void> {
  const client = db();
  const device = await client.chatDevice.findFirst({ where: { id: options.deviceRowId, userId: options.actor.userId, revokedAt: null }, select: { id: true } });
  if (!device) throw new AppError("FORBIDDEN", "That is not one of your active devices.");
  await recordConsentDecision({
    actor: options.actor,
    purpose: "core.privacy",
    optionalPurpose: "push_notifications",
    granted: true,
    source: "chat/notifications",
    now: options.now,
  });
  const fields = { endpoint: options.endpoint, p256dh: options.p256dh, auth: options.auth, locale: options.locale, lastPushedAt: null, streamSeenAt: null };
  await client.chatPushSubscription.upsert({
    where: { deviceRowId: options.deviceRowId },
    create: { deviceRowId: options.deviceRowId, ...fields, createdAt: options.now },
    update: fields,
  });
  await logPushSubscriptionChange({
    subjectId: options.actor.userId,
    accessor: options.actor,
    code: "push_subscription_added",
    endpoint: options.endpoint,
    now: options.now,
  });
}

/** Whether one of the actor's devices has a push subscription (false for anything else). */
export async function hasOwnPushSubscription(options: { actor: PersonActor; purpose: "core.messaging"; deviceRowId: string }): Promise<boolean> {
  const count = await db().chatPushSubscription.count({ where: { deviceRowId: options.deviceRowId, device: { userId: options.actor.userId } } });
  return count > 0;
}

/** Deletes the push subscription of one of the actor's devices (nothing for another's). */
export async function deleteOwnPushSubscription(options: { actor: PersonActor; purpose: "core.messaging"; deviceRowId: string }): Promise<void> {
  const deleted = await db().$queryRaw<{ endpoint: string }[]>`
    DELETE FROM chat_push_subscriptions s USING chat_devices d
    WHERE s.device_row_id = ${options.deviceRowId}::uuid AND d.id = s.device_row_id AND d.user_id = ${options.actor.userId}::uuid
    RETURNING s.endpoint`;
  for (const { endpoint } of deleted) {
    await logPushSubscriptionChange({ subjectId: options.actor.userId, accessor: options.actor, code: "push_subscription_turned_off", endpoint });
  }
}

/** Deletes every push subscription of the actor's devices: the person withdrew push_notifications. */
export async function deleteAllPushSubscriptions(options: { actor: PersonActor; purpose: "core.privacy" }): Promise<{ deleted: number }> {
  const deleted = await db().$queryRaw<{ endpoint: string }[]>`
    DELETE FROM chat_push_subscriptions s USING chat_devices d
    WHERE d.id = s.device_row_id AND d.user_id = ${options.actor.userId}::uuid
    RETURNING s.endpoint`;
  for (const { endpoint } of deleted) {
    await logPushSubscriptionChange({ subjectId: options.actor.userId, accessor: options.actor, code: "push_subscription_withdrawn", endpoint });
  }
  return { deleted: deleted.length };
}

/**
 * Claims the wake-ups due for these recipient devices of a send: those with a subscription, not
 * the sender's, not connected (no fresh stream mark), not woken within COALESCE_MS, whose person's
 * push_notifications grant is current. Claiming marks them woken.
 */
export async function claimPushWakeups(options: {
  purpose: "push_notifications";
  /** Other people's recipient devices with a subscription (enqueueEnvelopes' `wakeable`): every send looks, in the statement it already runs. */
  devices: { deviceRowId: string; userId: string }[];
  now?: Date;
}): Promise<PushTarget[]> {
  if (!options.devices.length) return [];
  const now = options.now ?? new Date();
  const consenting = await peopleWithConsent("push_notifications", [...new Set(options.devices.map((d) => d.userId))]);
  const deviceRowIds = options.devices.filter((d) => consenting.has(d.userId)).map((d) => d.deviceRowId);
  if (!deviceRowIds.length) return [];
  return db().$queryRaw<PushTarget[]>`
    UPDATE chat_push_subscriptions SET last_pushed_at = ${now}::timestamptz
    WHERE device_row_id = ANY(${deviceRowIds}::uuid[])
      AND (last_pushed_at IS NULL OR last_pushed_at <= ${new Date(now.getTime() - COALESCE_MS)}::timestamptz)
      AND (stream_seen_at IS NULL OR stream_seen_at <= ${new Date(now.getTime() - STREAM_FRESH_MS)}::timestamptz)
    RETURNING id::text AS id, endpoint, p256dh, auth, locale`;
}

/** The push service said the address is gone (404/410): delete it, unless the device subscribed again meanwhile. */
export async function forgetGonePushSubscription(options: { purpose: "push_notifications"; id: string; endpoint: string }): Promise<void> {
  const deleted = await db().$queryRaw<{ userId: string }[]>`
    DELETE FROM chat_push_subscriptions s USING chat_devices d
    WHERE s.id = ${options.id}::uuid AND s.endpoint = ${options.endpoint} AND d.id = s.device_row_id
    RETURNING d.user_id::text AS "userId"`;
  for (const { userId } of deleted) {
    await logPushSubscriptionChange({ subjectId: userId, accessor: system("push-wakeups"), code: "push_subscription_gone", endpoint: options.endpoint });
  }
}

/**
 * Marks a device's delivery stream open (or, with `open: false`, closed). A connected device reads
 * what arrived, so its coalescing window starts over.
 */
export async function markDeliveryStream(options: { deviceRowId: string; purpose: "core.messaging"; open: boolean; now?: Date }): Promise<void> {
  await db().chatPushSubscription.updateMany({
    where: { deviceRowId: options.deviceRowId },
    data: options.open ? { streamSeenAt: options.now ?? new Date(), lastPushedAt: null } : { streamSeenAt: null },
  });
}
