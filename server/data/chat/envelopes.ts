// Sealed-sender envelopes in transit. Invariants: a stored envelope names only its recipient
// device, never the sender (the send request is authenticated, but nothing of the sender is
// written); a retry of a send inserts nothing and returns the same ids; expired envelopes are never
// served, even before the sweeper deletes them; every insert NOTIFYs the recipient device in the
// same statement (so the same transaction), so the wake-up fires exactly when the rows become visible.
// A group message is one envelope per member device in one batch: the server sees device row ids,
// never a group's name, members or admins. An envelope's franking commitment is bound to its sender
// here and stored only sealed to its recipient device (franking.ts).
import "server-only";
import { createHash } from "node:crypto";
import { AppError } from "../../errors";
import { ENVELOPES_CHANNEL } from "../realtime/channels";
import type { Actor, PersonActor } from "../actor";
import { db, Prisma } from "../db";
import { uuidV7 } from "../uuid-v7";
import { frankingTag, sealFrankingTag } from "./franking";

/** The padding buckets of docs/e2ee-protocol.md ("Sealed sender"), up to 64 KiB; larger content travels as attachments. */
export const ENVELOPE_BUCKETS = [256, 1024, 4096, 16 * 1024, 64 * 1024] as const;
/** Version, type byte and ephemeral key (34) before the bucket, Poly1305 tag (16) after it. */
export const ENVELOPE_OVERHEAD = 34 + 16;
export const MAX_ENVELOPE_BYTES = ENVELOPE_OVERHEAD + 64 * 1024;
/**
 * One message's envelopes: a group of 1,000 members with 2 devices each, plus the sender's own
 * devices. A batch of 2,500 envelopes of the smallest bucket is about 1.3 MB of JSON, well within
 * the tRPC endpoint's 8 MiB body; larger buckets to that many devices take several calls with the
 * same client message id (the dedup key is per device, so any split is idempotent).
 */
export const MAX_ENVELOPES_PER_BATCH = 2_500;
/** Longest disappearing-message timer the server accepts: the clients' longest (4 weeks), and an hour of slack. */
export const MAX_EXPIRES_IN_SECONDS = 28 * 24 * 60 * 60 + 60 * 60;
/** Undelivered envelopes without a timer are deleted after this long anyway. */
export const MAX_UNDELIVERED_AGE_MS = 30 * 24 * 60 * 60 * 1000;
export const MAX_PENDING_PAGE = 100;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export function isPaddedEnvelopeLength(length: number): boolean {
  return (ENVELOPE_BUCKETS as readonly number[]).includes(length - ENVELOPE_OVERHEAD);
}

export interface EnvelopeView {
  id: string;
  payload: Uint8Array;
  createdAt: Date;
  expiresAt: Date | null;
  /** The franking tag sealed to this device (48 bytes), when the sender sent a commitment. */
  franking: Uint8Array | null;
}

/** SHA-256(client message id ‖ device row id): per-device, so one message's copies share nothing stored. */
function dedupKeyFor(clientMessageId: string, deviceRowId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(`${clientMessageId}\u0000${deviceRowId}`).digest());
}

/** A device a send may reach: its account, and whether a push wake-up could go to it (another person's device with a subscription). */
export interface ReachableDevice {
  userId: string;
  wakeable: boolean;
}

/**
 * Of `deviceRowIds`, those that may receive from `senderId`, with the account each belongs to. With `leaveOutBlocked` (a group send),
 * the devices of people who blocked the sender or whom the sender blocked are left out; without
 * it, one such device refuses them all.
 * @throws AppError NOT_FOUND when a device is unknown or revoked, or its account deactivated;
 *   BLOCKED without `leaveOutBlocked`, when the sender and a device's owner blocked one another
 */
export async function reachableDevices(options: { senderId: string; deviceRowIds: string[]; leaveOutBlocked: boolean }): Promise<Map<string, ReachableDevice>> {
  // One statement for the devices, the blocks either way and the push subscriptions (was four):
  // every send runs this, and almost no recipient device has a subscription.
  const devices = await db().$queryRaw<{ id: string; user_id: string; blocked: boolean; wakeable: boolean }[]>`
    SELECT d.id::text AS id, d.user_id::text AS user_id,
      (d.user_id <> ${options.senderId}::uuid AND EXISTS (
        SELECT 1 FROM blocks b
        WHERE (b.blocker_id = ${options.senderId}::uuid AND b.blocked_id = d.user_id) OR (b.blocked_id = ${options.senderId}::uuid AND b.blocker_id = d.user_id)
      )) AS blocked,
      (d.user_id <> ${options.senderId}::uuid AND EXISTS (SELECT 1 FROM chat_push_subscriptions s WHERE s.device_row_id = d.id)) AS wakeable
    FROM chat_devices d JOIN users u ON u.id = d.user_id
    WHERE d.id = ANY(${options.deviceRowIds}::uuid[]) AND d.revoked_at IS NULL AND u.deactivated_at IS NULL`;
  if (devices.length !== new Set(options.deviceRowIds).size) throw new AppError("NOT_FOUND", "A recipient device is unknown or was removed.");
  if (!options.leaveOutBlocked && devices.some((d) => d.blocked)) throw new AppError("BLOCKED", "You cannot message this account.");
  return new Map(devices.filter((d) => !d.blocked).map((d) => [d.id, { userId: d.user_id, wakeable: d.wakeable }]));
}

/**
 * Stores one message's envelopes, one per recipient device, in one transaction. With `group`,
 * envelopes to people the sender and the recipient blocked (either way) are left out, and the
 * answer lists only the envelopes stored.
 * @throws AppError NOT_FOUND when a device is unknown or revoked, or its account deactivated (refetch the device list);
 *   BLOCKED when the sender and a recipient blocked one another (not with `group`); MEDIA_INVALID for an unpadded payload
 */
export async function enqueueEnvelopes(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  clientMessageId: string;
  envelopes: { recipientDeviceRowId: string; payload: Uint8Array<ArrayBuffer>; expiresInSeconds: number | null; commitment?: Uint8Array | null }[];
  group?: boolean;
  now?: Date;
}): Promise<{ envelopes: { recipientDeviceRowId: string; id: string }[]; wakeable: { deviceRowId: string; userId: string }[] }> {
  const now = options.now ?? new Date();
  const requested = options.envelopes.map((e) => e.recipientDeviceRowId);
  if (new Set(requested).size !== requested.length) throw new AppError("FORBIDDEN", "One envelope per device.");
  if (requested.length > MAX_ENVELOPES_PER_BATCH) throw new AppError("FORBIDDEN", `At most ${MAX_ENVELOPES_PER_BATCH} devices per message.`);
  for (const e of options.envelopes) {
    if (!isPaddedEnvelopeLength(e.payload.length)) throw new AppError("MEDIA_INVALID", "Envelopes must be padded to a bucket.", { field: "payload" });
  }
  const client = db();
  // The checks only read, without locks, so a transaction around them would hold nothing; the
  // insert and its NOTIFY are one statement, hence one transaction. An interactive transaction
  // took seven round trips and held a pooled connection across event-loop turns, so sends failed
  // once the process ran short of CPU (docs/benchmarks.md, "Chat delivery").
  const reachable = await reachableDevices({ senderId: options.actor.userId, deviceRowIds: requested, leaveOutBlocked: options.group ?? false });
  const kept = options.envelopes.filter((e) => reachable.has(e.recipientDeviceRowId));
  if (!kept.length) return { envelopes: [], wakeable: [] };
  const deviceRowIds = kept.map((e) => e.recipientDeviceRowId);
  const franking = frankingBinder(options.actor.userId, now);
  const rows = kept.map((e) => ({
    id: uuidV7(now.getTime()),
    recipientDeviceRowId: e.recipientDeviceRowId,
    dedupKey: dedupKeyFor(options.clientMessageId, e.recipientDeviceRowId),
    payload: e.payload,
    franking: e.commitment ? franking(e.commitment, reachable.get(e.recipientDeviceRowId)!.userId, e.recipientDeviceRowId) : null,
    createdAt: now,
    expiresAt: e.expiresInSeconds ? new Date(now.getTime() + e.expiresInSeconds * 1000) : null,
  }));
  const values = rows.map(
    (r) =>
      Prisma.sql`(${r.id}::uuid, ${r.recipientDeviceRowId}::uuid, ${r.dedupKey}::bytea, ${r.payload}::bytea, ${r.franking}::bytea, ${r.createdAt}::timestamptz, ${r.expiresAt}::timestamptz)`,
  );
  // A retry's rows conflict and are not RETURNed; the statement's snapshot still shows them when
  // they committed before it began. One still in flight in another transaction shows in neither,
  // and is read again below.
  const stored = await client.$queryRaw<{ device: string; id: string | null }[]>`
    WITH input (id, recipient_device_id, dedup_key, payload, franking, created_at, expires_at) AS (VALUES ${Prisma.join(values)}),
    inserted AS (
      INSERT INTO chat_envelopes (id, recipient_device_id, dedup_key, payload, franking, created_at, expires_at)
      SELECT * FROM input ON CONFLICT DO NOTHING
      RETURNING id, recipient_device_id
    ),
    notified AS (SELECT count(*) AS n FROM (SELECT pg_notify(${ENVELOPES_CHANNEL}, recipient_device_id::text) FROM inserted) AS wake)
    SELECT i.recipient_device_id::text AS device, coalesce(n.id, e.id)::text AS id
    FROM input i CROSS JOIN notified
    LEFT JOIN inserted n ON n.recipient_device_id = i.recipient_device_id
    LEFT JOIN chat_envelopes e ON e.recipient_device_id = i.recipient_device_id AND e.dedup_key = i.dedup_key`;
  const idByDevice = new Map(stored.filter((s) => s.id !== null).map((s) => [s.device, s.id!]));
  const missing = rows.filter((r) => !idByDevice.has(r.recipientDeviceRowId));
  if (missing.length) {
    const late = await client.chatEnvelope.findMany({
      where: { recipientDeviceId: { in: missing.map((r) => r.recipientDeviceRowId) }, dedupKey: { in: missing.map((r) => r.dedupKey) } },
      select: { id: true, recipientDeviceId: true },
    });
    for (const envelope of late) idByDevice.set(envelope.recipientDeviceId, envelope.id);
  }
  return {
    envelopes: deviceRowIds.map((recipientDeviceRowId) => ({ recipientDeviceRowId, id: idByDevice.get(recipientDeviceRowId)! })),
    // For push-wakeups.ts only, never for the sender: whether a device has a subscription is not theirs to know.
    wakeable: deviceRowIds.flatMap((deviceRowId) => {
      const device = reachable.get(deviceRowId)!;
      return device.wakeable ? [{ deviceRowId, userId: device.userId }] : [];
    }),
  };
}

/**
 * Binds a send's commitments: each to sender, recipient account and time, sealed to the recipient
 * device. The tag is the same for every device of one account, so it is made once per account
 * (half the work of a group send to people with two devices each).
 */
function frankingBinder(senderId: string, at: Date) {
  const tags = new Map<string, Uint8Array>();
  return (commitment: Uint8Array, recipientId: string, deviceRowId: string): Uint8Array<ArrayBuffer> => {
    const key = `${recipientId}:${Buffer.from(commitment).toString("hex")}`;
    let tag = tags.get(key);
    if (!tag) tags.set(key, (tag = frankingTag({ commitment, senderId, recipientId, deliveredAt: at.getTime() })));
    return sealFrankingTag({ tag, commitment, deviceRowId });
  };
}

/** The smallest envelope id (UUIDv7) made at `ms` or later. */
export function envelopeIdFloor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** The millisecond timestamp inside an envelope id. */
export function envelopeIdTime(id: string): number {
  return parseInt(id.replaceAll("-", "").slice(0, 12), 16);
}

/**
 * Unexpired envelopes for one of the actor's devices with ids above `after`, oldest first.
 * @throws AppError FORBIDDEN unless the device is an active device of the actor
 */
export async function listPendingEnvelopes(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  deviceRowId: string;
  after: string | null;
  limit?: number;
  now?: Date;
}): Promise<EnvelopeView[]> {
  const now = options.now ?? new Date();
  const limit = Math.min(options.limit ?? MAX_PENDING_PAGE, MAX_PENDING_PAGE);
  // One statement for the device check and the page: every stream runs this on each wake-up.
  // No row: not an active device of the actor; one row with a null id: nothing pending.
  const rows = await db().$queryRaw<
    { id: string | null; payload: Uint8Array | null; franking: Uint8Array | null; created_at: Date | null; expires_at: Date | null }[]
  >`
    SELECT e.id::text AS id, e.payload, e.franking, e.created_at, e.expires_at
    FROM chat_devices d
    LEFT JOIN LATERAL (
      SELECT id, payload, franking, created_at, expires_at FROM chat_envelopes
      WHERE recipient_device_id = d.id AND id > ${options.after ?? NIL_UUID}::uuid AND (expires_at IS NULL OR expires_at > ${now}::timestamptz)
      ORDER BY id LIMIT ${limit}
    ) e ON true
    WHERE d.id = ${options.deviceRowId}::uuid AND d.user_id = ${options.actor.userId}::uuid AND d.revoked_at IS NULL
    ORDER BY e.id`;
  if (!rows.length) throw new AppError("FORBIDDEN", "That is not one of your active devices.");
  return rows.flatMap((r) =>
    r.id === null ? [] : [{ id: r.id, payload: r.payload!, franking: r.franking, createdAt: r.created_at!, expiresAt: r.expires_at }],
  );
}

/** Deletes delivered envelopes; ids that are not addressed to one of the actor's active devices are ignored. */
export async function acknowledgeEnvelopes(options: { actor: PersonActor; purpose: "core.messaging"; ids: string[] }): Promise<{ deleted: number }> {
  // One statement (Prisma's deleteMany with a relation filter reads the ids first): every message is acknowledged.
  const deleted = await db().$executeRaw`
    DELETE FROM chat_envelopes e USING chat_devices d
    WHERE e.id = ANY(${options.ids}::uuid[]) AND d.id = e.recipient_device_id AND d.user_id = ${options.actor.userId}::uuid AND d.revoked_at IS NULL`;
  return { deleted };
}

/** Deletes envelopes past their expiry (delivered or not) and undelivered ones older than MAX_UNDELIVERED_AGE_MS. */
export async function sweepExpiredEnvelopes(options: { actor: Actor; purpose: "core.messaging"; now?: Date }): Promise<{ deleted: number }> {
  const now = options.now ?? new Date();
  const { count } = await db().chatEnvelope.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { createdAt: { lt: new Date(now.getTime() - MAX_UNDELIVERED_AGE_MS) } }] },
  });
  return { deleted: count };
}
