// Chat devices: each has its own identity key and prekeys, and an address (user, device number)
// that is never reused. Revoking a device deletes its prekeys, its undelivered envelopes and its
// push address (written to the access log).
import "server-only";
import { AppError } from "../../errors";
import { ENVELOPES_CHANNEL } from "../realtime/channels";
import type { PersonActor } from "../actor";
import { db } from "../db";
import { logPushSubscriptionChange } from "./push-subscriptions";
import { insertPreKeys, type KyberPreKeyInput, type OneTimePreKeyInput, type SignedPreKeyInput } from "./prekeys";

/** Active devices one account may have at once. */
export const MAX_ACTIVE_DEVICES = 10;

export interface ChatDeviceView {
  /** The device's row id: how the API names the device (envelopes, prekeys, revoking). */
  rowId: string;
  /** Its device number: the `deviceId` of protocol addresses. */
  deviceId: number;
  identityKey: Uint8Array;
  createdAt: Date;
}

/**
 * Registers a device with its first keys and gives it the account's next device number.
 * @throws AppError FORBIDDEN when the account already has MAX_ACTIVE_DEVICES active devices
 */
export async function registerDevice(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  identityKey: Uint8Array<ArrayBuffer>;
  linkSignature: Uint8Array<ArrayBuffer> | null;
  signedPreKey: SignedPreKeyInput;
  lastResortKyberPreKey: KyberPreKeyInput;
  oneTimePreKeys: OneTimePreKeyInput[];
  kyberPreKeys: KyberPreKeyInput[];
  now?: Date;
}): Promise<{ rowId: string; deviceId: number }> {
  const now = options.now ?? new Date();
  const userId = options.actor.userId;
  return db().$transaction(async (tx) => {
    // Serialises registrations of one account, so device numbers are allocated without gaps or races.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    const active = await tx.chatDevice.count({ where: { userId, revokedAt: null } });
    if (active >= MAX_ACTIVE_DEVICES) throw new AppError("FORBIDDEN", `At most ${MAX_ACTIVE_DEVICES} devices can use chat at once; remove one first.`);
    const last = await tx.chatDevice.aggregate({ where: { userId }, _max: { deviceId: true } });
    const device = await tx.chatDevice.create({
      data: { userId, deviceId: (last._max.deviceId ?? 0) + 1, identityKey: options.identityKey, linkSignature: options.linkSignature, createdAt: now },
    });
    await insertPreKeys(tx, device.id, {
      signedPreKey: options.signedPreKey,
      lastResortKyberPreKey: options.lastResortKyberPreKey,
      oneTimePreKeys: options.oneTimePreKeys,
      kyberPreKeys: options.kyberPreKeys,
      now,
    });
    return { rowId: device.id, deviceId: device.deviceId };
  });
}

/** The actor's active devices, oldest first. */
export async function listOwnDevices(options: { actor: PersonActor; purpose: "core.messaging" }): Promise<ChatDeviceView[]> {
  const devices = await db().chatDevice.findMany({
    where: { userId: options.actor.userId, revokedAt: null },
    orderBy: { deviceId: "asc" },
    select: { id: true, deviceId: true, identityKey: true, createdAt: true },
  });
  return devices.map(({ id, ...device }) => ({ rowId: id, ...device }));
}

/**
 * Revokes one of the actor's devices: its prekeys and undelivered envelopes are deleted, and an
 * open stream of it ends at its next wake-up.
 * @throws AppError NOT_FOUND when it is not an active device of the actor
 */
export async function revokeDevice(options: { actor: PersonActor; purpose: "core.messaging"; deviceRowId: string; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const pushAddresses = await db().$transaction(async (tx) => {
    const { count } = await tx.chatDevice.updateMany({
      where: { id: options.deviceRowId, userId: options.actor.userId, revokedAt: null },
      data: { revokedAt: now },
    });
    if (!count) throw new AppError("NOT_FOUND", "No such device.");
    const where = { deviceRowId: options.deviceRowId };
    await tx.chatSignedPreKey.deleteMany({ where });
    await tx.chatOneTimePreKey.deleteMany({ where });
    await tx.chatKyberPreKey.deleteMany({ where });
    await tx.chatEnvelope.deleteMany({ where: { recipientDeviceId: options.deviceRowId } });
    const deleted = await tx.$queryRaw<
      { endpoint: string }[]
    >`DELETE FROM chat_push_subscriptions WHERE device_row_id = ${options.deviceRowId}::uuid RETURNING endpoint`;
    await tx.$executeRaw`SELECT pg_notify(${ENVELOPES_CHANNEL}, ${options.deviceRowId})`;
    return deleted;
  });
  for (const { endpoint } of pushAddresses) {
    await logPushSubscriptionChange({ subjectId: options.actor.userId, accessor: options.actor, code: "push_subscription_device_removed", endpoint, now });
  }
}
