// Starting sessions: for every listed device we have no session with, claim its prekey bundle,
// check that the bundle's identity key is the one the signed device list vouches for, verify the
// prekey signatures, and run PQXDH as initiator.
import { IdentityKey, isCryptoError, KyberPublicKey, processPreKeyBundle, verifyPreKeyBundle, X25519PublicKey, type PreKeyBundle } from "../crypto";
import { ChatEngineError } from "./chat-engine-error";
import { fromBase64Url } from "./base64url";
import type { EngineContext } from "./engine-context";
import type { DeviceEntry } from "./records";

export async function ensureSessions(ctx: EngineContext, userId: string, devices: readonly DeviceEntry[]): Promise<void> {
  const missing: DeviceEntry[] = [];
  for (const device of devices) {
    const record = await ctx.storage.protocol.sessions.loadSession({ userId, deviceId: device.deviceId });
    if (!record?.current) missing.push(device);
  }
  if (!missing.length) return;
  const { devices: bundles } = await ctx.client.chat.bundles.forUser.mutate({ userId, deviceIds: missing.map((d) => d.rowId) });
  for (const device of missing) {
    const served = bundles.find((b) => b.id === device.rowId);
    // Revoked between the list and now: the send fails with NOT_FOUND and is retried with a fresh list.
    if (!served) continue;
    const identityKey = IdentityKey.deserialize(fromBase64Url(served.identityKey));
    if (!identityKey.equals(IdentityKey.deserialize(device.identityKey))) throw new ChatEngineError("chat_device_list_invalid");
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
    try {
      verifyPreKeyBundle(bundle);
      await ctx.storage.exclusive(() =>
        processPreKeyBundle({ address: { userId, deviceId: device.deviceId }, bundle, stores: ctx.storage.protocol, random: ctx.random }),
      );
    } catch (error) {
      if (isCryptoError(error)) throw new ChatEngineError("chat_device_list_invalid", { cause: error });
      throw error;
    }
  }
}
