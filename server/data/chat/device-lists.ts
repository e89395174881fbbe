// Signed device lists. The blob is signed on a device and opaque here; the server keeps only the
// newest and refuses any version that does not exceed the stored one, so it cannot be made (or
// tricked) to serve an older list after a newer one was published.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db } from "../db";
import { type ChatPeerRef, resolveChatPeer } from "./access";

/** Largest signed device list accepted, in bytes. */
export const MAX_DEVICE_LIST_BYTES = 16 * 1024;

export interface DeviceListView {
  version: number;
  signedList: Uint8Array;
  updatedAt: Date;
}

/**
 * @throws AppError FORBIDDEN (field "version") when `version` is not above the stored one
 */
export async function publishDeviceList(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  version: number;
  signedList: Uint8Array<ArrayBuffer>;
  now?: Date;
}): Promise<{ version: number }> {
  const now = options.now ?? new Date();
  const rows = await db().$queryRaw<{ version: number }[]>`
    INSERT INTO chat_device_lists (user_id, version, signed_list, updated_at)
    VALUES (${options.actor.userId}::uuid, ${options.version}, ${options.signedList}, ${now})
    ON CONFLICT (user_id) DO UPDATE
      SET version = EXCLUDED.version, signed_list = EXCLUDED.signed_list, updated_at = EXCLUDED.updated_at
      WHERE chat_device_lists.version < EXCLUDED.version
    RETURNING version`;
  if (!rows.length) throw new AppError("FORBIDDEN", "A newer device list is already published.", { field: "version" });
  return { version: options.version };
}

/**
 * The newest device list of `peer` (null before they publish one).
 * @throws AppError NOT_FOUND, BLOCKED as resolveChatPeer
 */
export async function getDeviceList(options: { actor: PersonActor; purpose: "core.messaging"; peer: ChatPeerRef }): Promise<DeviceListView | null> {
  const peer = await resolveChatPeer({ actor: options.actor, peer: options.peer });
  return db().chatDeviceList.findUnique({ where: { userId: peer.id }, select: { version: true, signedList: true, updatedAt: true } });
}
