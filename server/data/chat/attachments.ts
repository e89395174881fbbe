// Encrypted attachment blobs (docs/e2ee-protocol.md, "What the server learns: groups and
// attachments"). Invariants: the server keeps ciphertext bytes, their declared size and the devices
// they were sent to, never a name, type, key or digest; `received` counts only bytes durably in the
// attachment store (a part is appended whole, under the row's lock, before `received` moves past
// it); only a complete blob is served, and only to a device it was sent to; a blob goes once every
// active recipient device has fetched it, 30 days after its upload began (a disappearing message's
// file at its expiry, fetched or not), or after 24 hours if it never completed; an account's uploads together stay within ATTACHMENT_QUOTA_BYTES.
import "server-only";
import { AppError } from "../../errors";
import { attachmentStorage } from "../../media/media-storage";
import type { Actor, PersonActor } from "../actor";
import { db, Prisma } from "../db";
import { uuidV7 } from "../uuid-v7";
import { MAX_ENVELOPES_PER_BATCH, reachableDevices } from "./envelopes";

const MiB = 1024 * 1024;
const HOUR_MS = 60 * 60 * 1000;

/** The largest attachment a person can send, before encryption. */
export const MAX_ATTACHMENT_PLAINTEXT_BYTES = 100 * MiB;
/**
 * The largest ciphertext. 100 MiB padded by at most 5% (110,100,480 bytes), in secretstream chunks
 * of 64 KiB with 17 bytes each (at most 1,681 chunks, 28,577 bytes) after a 24-byte header, is at
 * most 110,129,081 bytes; rounded up to 106 MiB (111,149,056). The client's buckets today
 * (floor(1.05^k), app/_chat/crypto/attachments/attachment-size.ts) give at most 107,363,608, so the
 * padding rule can change within the 5% without a server change.
 */
export const MAX_ATTACHMENT_CIPHERTEXT_BYTES = 106 * MiB;
/** What one account's attachments not yet deleted (delivered to everyone, or expired) may add up to. */
export const ATTACHMENT_QUOTA_BYTES = 1024 * MiB;
/** The largest part of a resumable upload; each is held in memory whole before it is stored. */
export const MAX_ATTACHMENT_PART_BYTES = 8 * MiB;
/** An attachment goes to the same devices as the message that carries it. */
export const MAX_ATTACHMENT_RECIPIENTS = MAX_ENVELOPES_PER_BATCH;
/** As long as an undelivered envelope is kept. */
export const ATTACHMENT_LIFETIME_MS = 30 * 24 * HOUR_MS;
/** An upload not complete within this long is given up. */
export const INCOMPLETE_UPLOAD_LIFETIME_MS = 24 * HOUR_MS;

type Purpose = "core.messaging";

/**
 * The attachment store's key for an attachment: the id, led by its last four (random) hex digits,
 * since the store fans files out by a key's first two characters and a UUIDv7 begins with its time.
 */
export function attachmentKeyOf(id: string): string {
  return `${id.slice(-4)}-${id}`;
}

function formatMiB(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/**
 * Begins an upload of `size` ciphertext bytes for the listed devices (the recipients' and the
 * uploader's own other devices). Devices of people who blocked the uploader, or whom the uploader
 * blocked, are left out, as in a group send.
 * @throws AppError REQUEST_INVALID for a size below 1 or recipients not 1..MAX_ATTACHMENT_RECIPIENTS distinct devices;
 *   MEDIA_TOO_LARGE past MAX_ATTACHMENT_CIPHERTEXT_BYTES; NOT_FOUND when a device is unknown or revoked;
 *   BLOCKED when every recipient is left out; QUOTA_EXCEEDED when the uploader's attachments would pass ATTACHMENT_QUOTA_BYTES
 */
export async function createAttachmentUpload(options: {
  actor: PersonActor;
  purpose: Purpose;
  size: number;
  recipientDeviceRowIds: string[];
  /** A disappearing message's file: deleted this many seconds from now (at most ATTACHMENT_LIFETIME_MS), fetched or not. */
  expiresInSeconds?: number | null;
  now?: Date;
}): Promise<{ id: string }> {
  const { actor, size } = options;
  const now = options.now ?? new Date();
  if (!Number.isSafeInteger(size) || size < 1) throw new AppError("REQUEST_INVALID", "An attachment has at least one byte.", { field: "size" });
  if (size > MAX_ATTACHMENT_CIPHERTEXT_BYTES) {
    throw new AppError("MEDIA_TOO_LARGE", `An attachment can be at most ${MAX_ATTACHMENT_CIPHERTEXT_BYTES} bytes encrypted.`, { field: "size" });
  }
  const requested = options.recipientDeviceRowIds;
  if (!requested.length || requested.length > MAX_ATTACHMENT_RECIPIENTS || new Set(requested).size !== requested.length) {
    throw new AppError("REQUEST_INVALID", `An attachment goes to 1 to ${MAX_ATTACHMENT_RECIPIENTS} distinct devices.`, { field: "recipientDeviceRowIds" });
  }
  const reachable = await reachableDevices({ senderId: actor.userId, deviceRowIds: requested, leaveOutBlocked: true });
  if (!reachable.size) throw new AppError("BLOCKED", "You cannot send to anyone on this list.");

  const lifetimeMs = Math.min(ATTACHMENT_LIFETIME_MS, (options.expiresInSeconds ?? Infinity) * 1000);
  const id = uuidV7(now.getTime());
  await db().$transaction(async (tx) => {
    // One quota check at a time per uploader, or two uploads could each fit alone and pass together.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`chat-attachment-quota:${actor.userId}`}, 0))`;
    const used = await usedBytesOf(tx, actor.userId);
    if (used + size > ATTACHMENT_QUOTA_BYTES) {
      throw new AppError(
        "QUOTA_EXCEEDED",
        `Attachments waiting for delivery use ${formatMiB(used)} of your ${formatMiB(ATTACHMENT_QUOTA_BYTES)}; this one needs ${formatMiB(size)}.`,
        { field: "size" },
      );
    }
    await tx.chatAttachment.create({
      data: { id, uploaderId: actor.userId, size, createdAt: now, expiresAt: new Date(now.getTime() + lifetimeMs) },
    });
    await tx.chatAttachmentRecipient.createMany({ data: [...reachable.keys()].map((deviceRowId) => ({ attachmentId: id, deviceRowId })) });
  });
  return { id };
}

async function usedBytesOf(client: Prisma.TransactionClient, userId: string): Promise<number> {
  const { _sum } = await client.chatAttachment.aggregate({ where: { uploaderId: userId }, _sum: { size: true } });
  return _sum.size ?? 0;
}

/** How much of the quota the actor's attachments use. */
export async function attachmentQuota(options: { actor: PersonActor; purpose: Purpose }): Promise<{ usedBytes: number; limitBytes: number }> {
  return { usedBytes: await usedBytesOf(db(), options.actor.userId), limitBytes: ATTACHMENT_QUOTA_BYTES };
}

interface Upload {
  size: number;
  received: number;
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date;
}

/** An upload that can still take bytes or be served: within its lifetime, and within a day if incomplete. */
function stillAlive(upload: Upload, now: Date): boolean {
  if (upload.expiresAt <= now) return false;
  return upload.completedAt !== null || upload.createdAt.getTime() + INCOMPLETE_UPLOAD_LIFETIME_MS > now.getTime();
}

/**
 * Where the actor's upload stands: bytes stored so far (the offset of the next part) and the declared size.
 * @throws AppError NOT_FOUND unless the actor is uploading it
 */
export async function attachmentUploadOffset(options: {
  actor: PersonActor;
  purpose: Purpose;
  id: string;
  now?: Date;
}): Promise<{ offset: number; size: number; complete: boolean }> {
  const row = await db().chatAttachment.findFirst({
    where: { id: options.id, uploaderId: options.actor.userId },
    select: { size: true, received: true, completedAt: true, createdAt: true, expiresAt: true },
  });
  if (!row || !stillAlive(row, options.now ?? new Date())) throw new AppError("NOT_FOUND", "No such upload.");
  return { offset: row.received, size: row.size, complete: row.completedAt !== null };
}

/**
 * Stores the next part of the actor's upload: `bytes` must start where the stored bytes end. The
 * part is appended and counted together, under the row's lock, or not at all; the upload is
 * complete when the last byte arrives.
 * @throws AppError NOT_FOUND unless the actor is uploading it; UPLOAD_OFFSET_MISMATCH (details.uploadOffset: where it stands)
 *   when `offset` is not where the stored bytes end; BODY_TOO_LARGE when the part runs past the declared size or
 *   MAX_ATTACHMENT_PART_BYTES; REQUEST_INVALID for an empty part
 */
export async function appendAttachmentBytes(options: {
  actor: PersonActor;
  purpose: Purpose;
  id: string;
  offset: number;
  bytes: Uint8Array;
  now?: Date;
}): Promise<{ offset: number; complete: boolean }> {
  const { id, offset, bytes } = options;
  const now = options.now ?? new Date();
  if (!bytes.byteLength) throw new AppError("REQUEST_INVALID", "A part has at least one byte.");
  if (bytes.byteLength > MAX_ATTACHMENT_PART_BYTES) throw new AppError("BODY_TOO_LARGE", `A part can be at most ${MAX_ATTACHMENT_PART_BYTES} bytes.`);
  // The lock makes a second part for the same offset wait, then find the offset taken; the file is
  // written inside it, so what `received` counts is exactly what the file holds up to there. A
  // part written but not counted (the commit failed) is replaced by the next append at `offset`.
  return db().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<Upload[]>`
        SELECT size, received, created_at AS "createdAt", completed_at AS "completedAt", expires_at AS "expiresAt" FROM chat_attachments
        WHERE id = ${id}::uuid AND uploader_id = ${options.actor.userId}::uuid
        FOR UPDATE`;
      const row = rows[0];
      if (!row || !stillAlive(row, now)) throw new AppError("NOT_FOUND", "No such upload.");
      if (offset !== row.received) {
        throw new AppError("UPLOAD_OFFSET_MISMATCH", `The upload stands at byte ${row.received}; send from there.`, { uploadOffset: row.received });
      }
      const end = offset + bytes.byteLength;
      if (end > row.size) throw new AppError("BODY_TOO_LARGE", `The part runs past the attachment's declared ${row.size} bytes.`);
      await attachmentStorage().append(attachmentKeyOf(id), bytes, { at: offset });
      const complete = end === row.size;
      await tx.chatAttachment.update({ where: { id }, data: { received: end, completedAt: complete ? now : null } });
      return { offset: end, complete };
    },
    // An 8 MiB write and its fsync may take longer than Prisma's default 5 s on a busy disk.
    { timeout: 60_000 },
  );
}

/**
 * The complete blob, from byte `start`, for one of the actor's active devices that it was sent to.
 * `stream` is null when `start` is at or past the end (nothing to send).
 * @throws AppError NOT_FOUND unless the blob is complete and was sent to that device of the actor's
 */
export async function openAttachmentDownload(options: {
  actor: PersonActor;
  purpose: Purpose;
  id: string;
  deviceRowId: string;
  start: number;
  now?: Date;
}): Promise<{ size: number; stream: ReadableStream<Uint8Array> | null }> {
  const now = options.now ?? new Date();
  const rows = await db().$queryRaw<{ size: number }[]>`
    SELECT a.size FROM chat_attachments a
    JOIN chat_attachment_recipients r ON r.attachment_id = a.id
    JOIN chat_devices d ON d.id = r.device_row_id
    WHERE a.id = ${options.id}::uuid AND r.device_row_id = ${options.deviceRowId}::uuid
      AND d.user_id = ${options.actor.userId}::uuid AND d.revoked_at IS NULL
      AND a.completed_at IS NOT NULL AND a.expires_at > ${now}`;
  const row = rows[0];
  if (!row) throw new AppError("NOT_FOUND", "No such attachment for this device.");
  if (!Number.isSafeInteger(options.start) || options.start < 0) throw new AppError("REQUEST_INVALID", "A download starts at a byte offset.");
  if (options.start >= row.size) return { size: row.size, stream: null };
  const file = await attachmentStorage().read(attachmentKeyOf(options.id), { start: options.start });
  // Deleted a moment ago, when the last other recipient fetched it.
  if (!file) throw new AppError("NOT_FOUND", "No such attachment for this device.");
  return { size: row.size, stream: file.stream };
}

/** No active recipient device of attachment `a` is still to fetch it (revoked devices never will). */
const pendingRecipientsAbsent = Prisma.sql`NOT EXISTS (
  SELECT 1 FROM chat_attachment_recipients r JOIN chat_devices d ON d.id = r.device_row_id
  WHERE r.attachment_id = a.id AND r.fetched_at IS NULL AND d.revoked_at IS NULL
)`;

/**
 * Records that one of the actor's devices has the blob; once every active recipient device has,
 * the blob and its rows are deleted. Calling it again is harmless while the blob exists.
 * @throws AppError NOT_FOUND unless the blob is complete and was sent to that device of the actor's
 *   (also once it was deleted: a client takes that as done)
 */
export async function markAttachmentFetched(options: { actor: PersonActor; purpose: Purpose; id: string; deviceRowId: string; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const marked = await db().$executeRaw`
    UPDATE chat_attachment_recipients r SET fetched_at = coalesce(r.fetched_at, ${now})
    FROM chat_attachments a, chat_devices d
    WHERE r.attachment_id = ${options.id}::uuid AND r.device_row_id = ${options.deviceRowId}::uuid
      AND a.id = r.attachment_id AND a.completed_at IS NOT NULL
      AND d.id = r.device_row_id AND d.user_id = ${options.actor.userId}::uuid AND d.revoked_at IS NULL`;
  if (!marked) throw new AppError("NOT_FOUND", "No such attachment for this device.");
  // A statement of its own, after the update committed: of two devices marking at once, the later
  // one to commit sees the other's mark and deletes.
  const deleted = await db().$queryRaw<{ id: string }[]>`
    DELETE FROM chat_attachments a
    WHERE a.id = ${options.id}::uuid AND a.completed_at IS NOT NULL AND ${pendingRecipientsAbsent}
    RETURNING a.id::text AS id`;
  await deleteAttachmentBlobs({ purpose: options.purpose, ids: deleted.map((d) => d.id) });
}

/**
 * Deletes attachments past their 30 days, uploads not complete within a day, and complete ones no
 * active recipient device is still to fetch (the rest were revoked or deleted), with their blobs.
 */
export async function sweepExpiredAttachments(options: { actor: Actor; purpose: Purpose; now?: Date }): Promise<{ deleted: number }> {
  const now = options.now ?? new Date();
  let deleted = 0;
  for (;;) {
    const ids = await db().$queryRaw<{ id: string }[]>`
      DELETE FROM chat_attachments WHERE id IN (
        SELECT a.id FROM chat_attachments a
        WHERE a.expires_at <= ${now}
          OR (a.completed_at IS NULL AND a.created_at <= ${new Date(now.getTime() - INCOMPLETE_UPLOAD_LIFETIME_MS)})
          OR (a.completed_at IS NOT NULL AND ${pendingRecipientsAbsent})
        LIMIT 500
      )
      RETURNING id::text AS id`;
    await deleteAttachmentBlobs({ purpose: options.purpose, ids: ids.map((r) => r.id) });
    deleted += ids.length;
    if (ids.length < 500) return { deleted };
  }
}

/**
 * Deletes the blobs of attachments whose rows are gone (delivered, expired, or purged with their
 * uploader's account: the purge returns the ids). A missing blob is not an error.
 */
export async function deleteAttachmentBlobs(options: { purpose: Purpose | "core.privacy"; ids: readonly string[] }): Promise<void> {
  const store = attachmentStorage();
  await Promise.all(options.ids.map((id) => store.delete(attachmentKeyOf(id))));
}
