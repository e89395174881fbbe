// Public prekeys. One-time X25519 and ML-KEM prekeys are handed out at most once: claiming one is a
// single `DELETE … RETURNING` over a row picked with `FOR UPDATE SKIP LOCKED`, so concurrent
// bundle fetches never receive the same key and never wait on each other. The last-resort ML-KEM
// key is handed out when the one-time ones run out, and is never deleted by a fetch.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db, type Prisma } from "../db";
import { type ChatPeerRef, requireOwnActiveDevice, resolveChatPeer } from "./access";

/** Most unused one-time prekeys of each kind a device may keep on the server. */
export const MAX_STORED_ONE_TIME_PRE_KEYS = 200;
/** Clients should upload a new batch when fewer than this many of either kind remain. */
export const REPLENISH_BELOW = 20;

export interface SignedPreKeyInput {
  keyId: number;
  publicKey: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}
export interface OneTimePreKeyInput {
  keyId: number;
  publicKey: Uint8Array<ArrayBuffer>;
}
export type KyberPreKeyInput = SignedPreKeyInput;

export interface PreKeyCounts {
  oneTimePreKeys: number;
  kyberPreKeys: number;
  signedPreKeyId: number | null;
  signedPreKeyCreatedAt: Date | null;
  lastResortKyberPreKeyId: number | null;
  replenishBelow: number;
}

export interface DeviceBundle {
  /** The device's row id: the address envelopes are sent to. */
  rowId: string;
  /** Its device number: the `deviceId` of protocol addresses. */
  deviceId: number;
  identityKey: Uint8Array;
  signedPreKey: { keyId: number; publicKey: Uint8Array; signature: Uint8Array };
  kyberPreKey: { keyId: number; publicKey: Uint8Array; signature: Uint8Array; lastResort: boolean };
  oneTimePreKey: { keyId: number; publicKey: Uint8Array } | null;
}

type Tx = Prisma.TransactionClient;

/** Stores new keys for a device; a signed or last-resort key replaces the previous one. Key ids already stored are skipped. */
export async function insertPreKeys(
  tx: Tx,
  deviceRowId: string,
  keys: {
    signedPreKey?: SignedPreKeyInput | null;
    lastResortKyberPreKey?: KyberPreKeyInput | null;
    oneTimePreKeys: OneTimePreKeyInput[];
    kyberPreKeys: KyberPreKeyInput[];
    now: Date;
  },
): Promise<void> {
  const { now } = keys;
  if (keys.signedPreKey) {
    const { publicKey, signature } = keys.signedPreKey;
    const keyId = BigInt(keys.signedPreKey.keyId);
    await tx.chatSignedPreKey.deleteMany({ where: { deviceRowId, keyId: { not: keyId } } });
    await tx.chatSignedPreKey.upsert({
      where: { deviceRowId_keyId: { deviceRowId, keyId } },
      create: { deviceRowId, keyId, publicKey, signature, createdAt: now },
      update: { publicKey, signature, createdAt: now },
    });
  }
  if (keys.lastResortKyberPreKey) {
    const { publicKey, signature } = keys.lastResortKyberPreKey;
    const keyId = BigInt(keys.lastResortKyberPreKey.keyId);
    await tx.chatKyberPreKey.deleteMany({ where: { deviceRowId, lastResort: true, keyId: { not: keyId } } });
    await tx.chatKyberPreKey.upsert({
      where: { deviceRowId_keyId: { deviceRowId, keyId } },
      create: { deviceRowId, keyId, publicKey, signature, lastResort: true, createdAt: now },
      update: { publicKey, signature, lastResort: true, createdAt: now },
    });
  }
  if (keys.oneTimePreKeys.length) {
    await tx.chatOneTimePreKey.createMany({
      data: keys.oneTimePreKeys.map((k) => ({ deviceRowId, keyId: BigInt(k.keyId), publicKey: k.publicKey })),
      skipDuplicates: true,
    });
  }
  if (keys.kyberPreKeys.length) {
    await tx.chatKyberPreKey.createMany({
      data: keys.kyberPreKeys.map((k) => ({
        deviceRowId,
        keyId: BigInt(k.keyId),
        publicKey: k.publicKey,
        signature: k.signature,
        lastResort: false,
        createdAt: now,
      })),
      skipDuplicates: true,
    });
  }
  const [oneTime, kyber] = await Promise.all([
    tx.chatOneTimePreKey.count({ where: { deviceRowId } }),
    tx.chatKyberPreKey.count({ where: { deviceRowId, lastResort: false } }),
  ]);
  if (oneTime > MAX_STORED_ONE_TIME_PRE_KEYS || kyber > MAX_STORED_ONE_TIME_PRE_KEYS) {
    // Thrown inside the transaction, so nothing of this upload stays.
    throw new AppError("FORBIDDEN", `A device may keep at most ${MAX_STORED_ONE_TIME_PRE_KEYS} unused one-time prekeys of each kind.`);
  }
}

/**
 * Uploads new prekeys for one of the actor's devices (replenishment, signed prekey rotation).
 * @throws AppError FORBIDDEN for a device that is not the actor's, or too many stored keys
 */
export async function publishPreKeys(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  deviceRowId: string;
  signedPreKey: SignedPreKeyInput | null;
  lastResortKyberPreKey: KyberPreKeyInput | null;
  oneTimePreKeys: OneTimePreKeyInput[];
  kyberPreKeys: KyberPreKeyInput[];
  now?: Date;
}): Promise<PreKeyCounts> {
  const now = options.now ?? new Date();
  await db().$transaction(async (tx) => {
    await requireOwnActiveDevice(tx, options.actor.userId, options.deviceRowId);
    await insertPreKeys(tx, options.deviceRowId, { ...options, now });
  });
  return countPreKeys(options);
}

/**
 * How many unused one-time prekeys the device has left, and which signed keys are current.
 * @throws AppError FORBIDDEN for a device that is not the actor's
 */
export async function countPreKeys(options: { actor: PersonActor; purpose: "core.messaging"; deviceRowId: string }): Promise<PreKeyCounts> {
  const client = db();
  await requireOwnActiveDevice(client, options.actor.userId, options.deviceRowId);
  const deviceRowId = options.deviceRowId;
  const [oneTime, kyber, signed, lastResort] = await Promise.all([
    client.chatOneTimePreKey.count({ where: { deviceRowId } }),
    client.chatKyberPreKey.count({ where: { deviceRowId, lastResort: false } }),
    client.chatSignedPreKey.findFirst({ where: { deviceRowId }, orderBy: { createdAt: "desc" }, select: { keyId: true, createdAt: true } }),
    client.chatKyberPreKey.findFirst({ where: { deviceRowId, lastResort: true }, orderBy: { createdAt: "desc" }, select: { keyId: true } }),
  ]);
  return {
    oneTimePreKeys: oneTime,
    kyberPreKeys: kyber,
    signedPreKeyId: signed ? Number(signed.keyId) : null,
    signedPreKeyCreatedAt: signed?.createdAt ?? null,
    lastResortKyberPreKeyId: lastResort ? Number(lastResort.keyId) : null,
    replenishBelow: REPLENISH_BELOW,
  };
}

/**
 * A prekey bundle for every active device of `peer`, or only for those of `deviceRowIds` (ids that
 * are not its active devices are left out), claiming one one-time X25519 prekey and one one-time ML-KEM
 * prekey per device (or the last-resort ML-KEM key). Devices not asked for keep their keys.
 * @throws AppError NOT_FOUND for an unknown or deactivated account; BLOCKED when either side blocked the other
 */
export async function fetchPreKeyBundles(options: {
  actor: PersonActor;
  purpose: "core.messaging";
  peer: ChatPeerRef;
  deviceRowIds?: string[] | null;
}): Promise<{ userId: string; devices: DeviceBundle[] }> {
  const client = db();
  const peer = await resolveChatPeer({ actor: options.actor, peer: options.peer });
  const devices = await client.chatDevice.findMany({
    where: { userId: peer.id, revokedAt: null, ...(options.deviceRowIds ? { id: { in: options.deviceRowIds } } : {}) },
    orderBy: { deviceId: "asc" },
    select: {
      id: true,
      deviceId: true,
      identityKey: true,
      signedPreKeys: { orderBy: { createdAt: "desc" }, take: 1, select: { keyId: true, publicKey: true, signature: true } },
    },
  });
  const bundles: DeviceBundle[] = [];
  for (const device of devices) {
    const signedPreKey = device.signedPreKeys[0];
    const kyberPreKey = await claimKyberPreKey(device.id);
    // A device without its signed keys (revoked meanwhile) cannot be written to.
    if (!signedPreKey || !kyberPreKey) continue;
    bundles.push({
      rowId: device.id,
      deviceId: device.deviceId,
      identityKey: device.identityKey,
      signedPreKey: { ...signedPreKey, keyId: Number(signedPreKey.keyId) },
      kyberPreKey,
      oneTimePreKey: await claimOneTimePreKey(device.id),
    });
  }
  return { userId: peer.id, devices: bundles };
}

async function claimOneTimePreKey(deviceRowId: string): Promise<DeviceBundle["oneTimePreKey"]> {
  const rows = await db().$queryRaw<{ key_id: bigint; public_key: Uint8Array }[]>`
    DELETE FROM chat_one_time_pre_keys k
    USING (SELECT device_row_id, key_id FROM chat_one_time_pre_keys
           WHERE device_row_id = ${deviceRowId}::uuid
           ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED) c
    WHERE k.device_row_id = c.device_row_id AND k.key_id = c.key_id
    RETURNING k.key_id, k.public_key`;
  const row = rows[0];
  return row ? { keyId: Number(row.key_id), publicKey: new Uint8Array(row.public_key) } : null;
}

async function claimKyberPreKey(deviceRowId: string): Promise<DeviceBundle["kyberPreKey"] | null> {
  const rows = await db().$queryRaw<{ key_id: bigint; public_key: Uint8Array; signature: Uint8Array }[]>`
    DELETE FROM chat_kyber_pre_keys k
    USING (SELECT device_row_id, key_id FROM chat_kyber_pre_keys
           WHERE device_row_id = ${deviceRowId}::uuid AND NOT last_resort
           ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED) c
    WHERE k.device_row_id = c.device_row_id AND k.key_id = c.key_id
    RETURNING k.key_id, k.public_key, k.signature`;
  const row = rows[0];
  if (row) return { keyId: Number(row.key_id), publicKey: new Uint8Array(row.public_key), signature: new Uint8Array(row.signature), lastResort: false };
  const lastResort = await db().chatKyberPreKey.findFirst({
    where: { deviceRowId, lastResort: true },
    orderBy: { createdAt: "desc" },
    select: { keyId: true, publicKey: true, signature: true },
  });
  return lastResort ? { ...lastResort, keyId: Number(lastResort.keyId), lastResort: true } : null;
}
