// Starting sessions: for every listed device we have no usable session with, claim its prekey
// bundle, check that the bundle's identity key is the one the signed device list vouches for,
// verify the prekey signatures, and run PQXDH as initiator. A session is usable only when it is with
// the identity key the list vouches for: one that is not (planted by a forged first message before
// receivers checked senders first) is replaced by a fresh handshake, or it would fail every send.
import { IdentityKey, isCryptoError, KyberPublicKey, processPreKeyBundle, verifyPreKeyBundle, X25519PublicKey, type PreKeyBundle } from "../crypto";
import { fromBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { EngineContext } from "./engine-context";
import type { DeviceEntry } from "./records";

/**
 * Makes sure there is a usable session with each of `devices`.
 * @returns the row ids of the devices no session could be started with (a bundle the list does not
 *   vouch for, or bad signatures); each device succeeds or fails on its own.
 * @throws when the bundles cannot be fetched (network, server errors).
 */
export async function ensureSessions(ctx: EngineContext, userId: string, devices: readonly DeviceEntry[]): Promise<Set<string>> {
  const failed = new Set<string>();
  const missing: DeviceEntry[] = [];
  for (const device of devices) {
    const record = await ctx.storage.protocol.sessions.loadSession({ userId, deviceId: device.deviceId });
    if (!record?.current?.remoteIdentityKey().equals(IdentityKey.deserialize(device.identityKey))) missing.push(device);
  }
  if (!missing.length) return failed;
  const { devices: bundles } = await ctx.client.chat.bundles.forUser.mutate({ userId, deviceRowIds: missing.map((d) => d.rowId) });
  for (const device of missing) {
    const served = bundles.find((b) => b.rowId === device.rowId);
    // Revoked between the list and now: the send fails with NOT_FOUND and is retried with a fresh list.
    if (!served) continue;
    try {
      const identityKey = IdentityKey.deserialize(fromBase64Url(served.identityKey));
      if (!identityKey.equals(IdentityKey.deserialize(device.identityKey))) {
        failed.add(device.rowId);
        continue;
      }
      const bundle: PreKeyBundle = {
        identityKey,
        signedPreKey: {
          id: served.signedPreKey.keyId,
          publicKey: X25519PublicKey.deserialize(fromBase64Url(served.signedPreKey.publicKey)),
          signature: fromBase64Url(served.signedPreKey.signature),
        },
        kyberPreKey: {
          id: served.kyberPreKey.keyId,
          publicKey: KyberPublicKey.deserialize(fromBase64Url(served.kyberPreKey.publicKey)),
          signature: fromBase64Url(served.kyberPreKey.signature),
        },
        ...(served.oneTimePreKey
          ? { preKey: { id: served.oneTimePreKey.keyId, publicKey: X25519PublicKey.deserialize(fromBase64Url(served.oneTimePreKey.publicKey)) } }
          : {}),
      };
      verifyPreKeyBundle(bundle);
      await ctx.storage.exclusive(() =>
        processPreKeyBundle({ address: { userId, deviceId: device.deviceId }, bundle, stores: ctx.storage.protocol, random: ctx.random }),
      );
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      failed.add(device.rowId);
    }
  }
  return failed;
}
