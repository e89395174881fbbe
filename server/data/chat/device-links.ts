// The relay for linking a new device. The existing device opens a slot under a random lookup id
// (shown to the new device, e.g. in a QR code); the new device posts its request, the existing
// device its response, each once, and each device reads the other's. Both are sealed between the
// two devices and opaque here. Invariants: a slot serves only the account that opened it, and
// answers any other account exactly as it answers an unknown id (NOT_FOUND); an expired slot is
// never served, even before the sweeper deletes it; an account has at most MAX_OPEN_LINK_SLOTS.
import "server-only";
import { AppError } from "../../errors";
import type { Actor, PersonActor } from "../actor";
import { db } from "../db";

export const LINK_LOOKUP_ID_BYTES = 16;
export const LINK_SLOT_LIFETIME_MS = 10 * 60 * 1000;
export const MAX_OPEN_LINK_SLOTS = 5;
export const MAX_LINK_REQUEST_BYTES = 4096;
export const MAX_LINK_RESPONSE_BYTES = 64 * 1024;

export interface LinkSlotView {
  request: Uint8Array | null;
  response: Uint8Array | null;
  expiresAt: Date;
}

interface SlotOptions {
  actor: PersonActor;
  purpose: "core.messaging";
  lookupId: Uint8Array<ArrayBuffer>;
  now?: Date;
}

/** The actor's unexpired slot with this lookup id. */
function liveSlot(options: SlotOptions, now: Date) {
  return { lookupId: options.lookupId, userId: options.actor.userId, expiresAt: { gt: now } };
}

/**
 * Opens a slot for LINK_SLOT_LIFETIME_MS. An expired slot with the same lookup id is replaced.
 * @throws AppError LINK_SLOT_TAKEN when an unexpired slot has this lookup id;
 *   RATE_LIMITED when the account already has MAX_OPEN_LINK_SLOTS open (retry after the oldest expires)
 */
export async function openLinkSlot(options: SlotOptions): Promise<{ expiresAt: Date }> {
  const now = options.now ?? new Date();
  const userId = options.actor.userId;
  const expiresAt = new Date(now.getTime() + LINK_SLOT_LIFETIME_MS);
  return db().$transaction(async (tx) => {
    // Serialises one account's openings, so the count below cannot be raced past.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    const rows = await tx.$queryRaw<{ expires_at: Date }[]>`
      INSERT INTO chat_link_requests (lookup_id, user_id, request, response, created_at, expires_at)
      VALUES (${options.lookupId}, ${userId}::uuid, NULL, NULL, ${now}, ${expiresAt})
      ON CONFLICT (lookup_id) DO UPDATE
        SET user_id = EXCLUDED.user_id, request = NULL, response = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
        WHERE chat_link_requests.expires_at <= ${now}
      RETURNING expires_at`;
    if (!rows.length) throw new AppError("LINK_SLOT_TAKEN", "That lookup id is in use; make a new one.");
    // Counted with the new slot; thrown inside the transaction, so the new slot does not stay.
    const open = await tx.chatLinkRequest.findMany({
      where: { userId, expiresAt: { gt: now } },
      orderBy: { expiresAt: "asc" },
      select: { expiresAt: true },
    });
    if (open.length > MAX_OPEN_LINK_SLOTS) {
      const retryAfterSeconds = Math.max(1, Math.ceil((open[0]!.expiresAt.getTime() - now.getTime()) / 1000));
      throw new AppError("RATE_LIMITED", `At most ${MAX_OPEN_LINK_SLOTS} device links can be open at once.`, { retryAfterSeconds });
    }
    return { expiresAt };
  });
}

/**
 * The new device's request, stored once.
 * @throws AppError NOT_FOUND for an unknown, expired or other account's slot; LINK_OUT_OF_ORDER when it already has a request
 */
export async function postLinkRequest(options: SlotOptions & { request: Uint8Array<ArrayBuffer> }): Promise<void> {
  const now = options.now ?? new Date();
  const { count } = await db().chatLinkRequest.updateMany({ where: { ...liveSlot(options, now), request: null }, data: { request: options.request } });
  if (!count) await refuseWhy(options, now, "This link already has a request.");
}

/**
 * The existing device's response, stored once and only after the request.
 * @throws AppError NOT_FOUND for an unknown, expired or other account's slot; LINK_OUT_OF_ORDER before the request or after a response
 */
export async function postLinkResponse(options: SlotOptions & { response: Uint8Array<ArrayBuffer> }): Promise<void> {
  const now = options.now ?? new Date();
  const { count } = await db().chatLinkRequest.updateMany({
    where: { ...liveSlot(options, now), request: { not: null }, response: null },
    data: { response: options.response },
  });
  if (!count) await refuseWhy(options, now, "This link has no request yet, or already has a response.");
}

/** @throws AppError NOT_FOUND when the slot is not live for the actor, else LINK_OUT_OF_ORDER */
async function refuseWhy(options: SlotOptions, now: Date, outOfOrder: string): Promise<never> {
  const slot = await db().chatLinkRequest.findFirst({ where: liveSlot(options, now), select: { userId: true } });
  if (!slot) throw new AppError("NOT_FOUND", "No such device link, or it expired.");
  throw new AppError("LINK_OUT_OF_ORDER", outOfOrder);
}

/**
 * What the slot holds so far; both devices poll it.
 * @throws AppError NOT_FOUND for an unknown, expired or other account's slot
 */
export async function getLinkSlot(options: SlotOptions): Promise<LinkSlotView> {
  const now = options.now ?? new Date();
  const slot = await db().chatLinkRequest.findFirst({ where: liveSlot(options, now), select: { request: true, response: true, expiresAt: true } });
  if (!slot) throw new AppError("NOT_FOUND", "No such device link, or it expired.");
  return slot;
}

/**
 * Deletes the actor's slot, expired or not.
 * @throws AppError NOT_FOUND when the actor has no slot with this lookup id
 */
export async function closeLinkSlot(options: SlotOptions): Promise<void> {
  const { count } = await db().chatLinkRequest.deleteMany({ where: { lookupId: options.lookupId, userId: options.actor.userId } });
  if (!count) throw new AppError("NOT_FOUND", "No such device link.");
}

/** Deletes expired slots (reads already ignore them). */
export async function sweepExpiredLinkSlots(options: { actor: Actor; purpose: "core.messaging"; now?: Date }): Promise<{ deleted: number }> {
  const { count } = await db().chatLinkRequest.deleteMany({ where: { expiresAt: { lte: options.now ?? new Date() } } });
  return { deleted: count };
}
