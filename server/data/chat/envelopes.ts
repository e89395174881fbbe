// Sealed-sender envelopes in transit. Invariants: a stored envelope names only its recipient
// device, never the sender (the send request is authenticated, but nothing of the sender is
// written); a retry of a send inserts nothing and returns the same ids; expired envelopes are never
// served, even before the sweeper deletes them; every insert NOTIFYs the recipient device inside
// the same transaction, so the wake-up fires exactly when the rows become visible.
import "server-only";
import { createHash } from "node:crypto";
import { AppError } from "../../errors";
import { ENVELOPES_CHANNEL } from "../../realtime/channels";
import type { Actor, PersonActor } from "../actor";
import { db } from "../db";
import { uuidV7 } from "../uuid-v7";
import { refuseIfBlocked, requireOwnActiveDevice } from "./access";

/** The padding buckets of docs/e2ee-protocol.md ("Sealed sender"), up to 64 KiB; larger content travels as attachments. */
export const ENVELOPE_BUCKETS = [256, 1024, 4096, 16 * 1024, 64 * 1024] as const;
/** Version, type byte and ephemeral key (34) before the bucket, Poly1305 tag (16) after it. */
export const ENVELOPE_OVERHEAD = 34 + 16;
export const MAX_ENVELOPE_BYTES = ENVELOPE_OVERHEAD + 64 * 1024;
export const MAX_ENVELOPES_PER_BATCH = 50;
/** Longest disappearing-message timer the server accepts. */
export const MAX_EXPIRES_IN_SECONDS = 28 * 24 * 60 * 60;
/** Undelivered envelopes without a timer are deleted after this long anyway. */
export const MAX_UNDELIVERED_AGE_MS = 30 * 24 * 60 * 60 * 1000;
export const MAX_PENDING_PAGE = 100;

export function isPaddedEnvelopeLength(length: number): boolean {
  return (ENVELOPE_BUCKETS as readonly number[]).includes(length - ENVELOPE_OVERHEAD);
}

export interface EnvelopeView {
  id: string;
  payload: Uint8Array;
  createdAt: Date;
  expiresAt: Date | null;
}

/** SHA-256(client message id ‖ device row id): per-device, so one message's copies share nothing stored. */
function dedupKeyFor(clientMessageId: string, deviceRowId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(`${clientMessageId}\u0000${deviceRowId}`).digest());
}

/**
 * Stores one message's envelopes, one per recipient device, in one transaction.
 * @throws AppError NOT_FOUND when a device is unknown or revoked, or its account deactivated (refetch the device list);
 *   BLOCKED when the sender and a recipient blocked one another; MEDIA_INVALID for an unpadded payload
 */
export async function enqueueEnvelopes(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  clientMessageId: string;
  envelopes: { recipientDeviceId: string; payload: Uint8Array<ArrayBuffer>; expiresInSeconds: number | null }[];
  now?: Date;
}): Promise<{ envelopes: { recipientDeviceId: string; id: string }[] }> {
  const now = options.now ?? new Date();
  const deviceIds = options.envelopes.map((e) => e.recipientDeviceId);
  if (new Set(deviceIds).size !== deviceIds.length) throw new AppError("FORBIDDEN", "One envelope per device.");
  if (deviceIds.length > MAX_ENVELOPES_PER_BATCH) throw new AppError("FORBIDDEN", `At most ${MAX_ENVELOPES_PER_BATCH} devices per message.`);
  for (const e of options.envelopes) {
    if (!isPaddedEnvelopeLength(e.payload.length)) throw new AppError("MEDIA_INVALID", "Envelopes must be padded to a bucket.", { field: "payload" });
  }
  const rows = options.envelopes.map((e) => ({
    id: uuidV7(now.getTime()),
    recipientDeviceId: e.recipientDeviceId,
    dedupKey: dedupKeyFor(options.clientMessageId, e.recipientDeviceId),
    payload: e.payload,
    createdAt: now,
    expiresAt: e.expiresInSeconds ? new Date(now.getTime() + e.expiresInSeconds * 1000) : null,
  }));
  return db().$transaction(async (tx) => {
    const devices = await tx.chatDevice.findMany({ where: { id: { in: deviceIds }, revokedAt: null, user: { deactivatedAt: null } }, select: { userId: true } });
    if (devices.length !== deviceIds.length) throw new AppError("NOT_FOUND", "A recipient device is unknown or was removed.");
    await refuseIfBlocked(tx, options.actor.userId, [...new Set(devices.map((d) => d.userId))]);
    await tx.chatEnvelope.createMany({ data: rows, skipDuplicates: true });
    const stored = await tx.chatEnvelope.findMany({
      where: { recipientDeviceId: { in: deviceIds }, dedupKey: { in: rows.map((r) => r.dedupKey) } },
      select: { id: true, recipientDeviceId: true },
    });
    const idByDevice = new Map(stored.map((s) => [s.recipientDeviceId, s.id]));
    const inserted = rows.filter((r) => idByDevice.get(r.recipientDeviceId) === r.id).map((r) => r.recipientDeviceId);
    if (inserted.length) {
      await tx.$executeRaw`SELECT pg_notify(${ENVELOPES_CHANNEL}, device_id) FROM unnest(${inserted}::text[]) AS device_id`;
    }
    return { envelopes: deviceIds.map((recipientDeviceId) => ({ recipientDeviceId, id: idByDevice.get(recipientDeviceId)! })) };
  });
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
  const client = db();
  await requireOwnActiveDevice(client, options.actor.userId, options.deviceRowId);
  return client.chatEnvelope.findMany({
    where: {
      recipientDeviceId: options.deviceRowId,
      ...(options.after ? { id: { gt: options.after } } : {}),
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    orderBy: { id: "asc" },
    take: Math.min(options.limit ?? MAX_PENDING_PAGE, MAX_PENDING_PAGE),
    select: { id: true, payload: true, createdAt: true, expiresAt: true },
  });
}

/** Deletes delivered envelopes; ids that are not addressed to one of the actor's active devices are ignored. */
export async function acknowledgeEnvelopes(options: { actor: PersonActor; purpose: "core.messaging"; ids: string[] }): Promise<{ deleted: number }> {
  const { count } = await db().chatEnvelope.deleteMany({
    where: { id: { in: options.ids }, recipientDevice: { userId: options.actor.userId, revokedAt: null } },
  });
  return { deleted: count };
}

/** Deletes envelopes past their expiry (delivered or not) and undelivered ones older than MAX_UNDELIVERED_AGE_MS. */
export async function sweepExpiredEnvelopes(options: { actor: Actor; purpose: "core.messaging"; now?: Date }): Promise<{ deleted: number }> {
  const now = options.now ?? new Date();
  const { count } = await db().chatEnvelope.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { createdAt: { lt: new Date(now.getTime() - MAX_UNDELIVERED_AGE_MS) } }] },
  });
  return { deleted: count };
}
