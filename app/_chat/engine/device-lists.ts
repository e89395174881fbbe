// Signed device lists: fetching and verifying a person's list (ours too), trusting the account key
// on first use and noticing when it changes, and publishing a new list of our own. Only devices in
// a person's current, verified list are ever messaged, or believed as senders.
import { IdentityKey, isCryptoError, signDeviceList, verifyDeviceList, type IdentityKeyPair } from "../crypto";
import { ChatEngineError } from "./chat-engine-error";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { ChatApiClient, EngineContext } from "./engine-context";
import { KV, type ContactRecord, type DeviceEntry } from "./records";

export interface VerifiedList {
  accountKey: IdentityKey;
  version: number;
  devices: DeviceEntry[];
}

/** The newest list the server has for `userId`, verified; null when the person has not set up messaging. */
export async function fetchVerifiedList(client: ChatApiClient, userId: string): Promise<VerifiedList | null> {
  const published = await client.chat.deviceList.get.query({ userId });
  if (!published) return null;
  try {
    const list = verifyDeviceList(fromBase64Url(published.signedList), { userId });
    return {
      accountKey: list.accountKey,
      version: list.version,
      devices: list.devices.map((d) => ({ rowId: d.rowId, deviceId: d.deviceId, identityKey: d.identityKey.serialize(), name: d.name, addedAt: d.addedAt })),
    };
  } catch (error) {
    if (isCryptoError(error)) throw new ChatEngineError("chat_device_list_invalid", { cause: error });
    throw error;
  }
}

/**
 * Refreshes what we know of `userId`'s devices. The first account key seen is trusted; a different
 * one later replaces it but marks the contact changed and unverified (the UI warns), and the
 * caller gets `changed: true` to add the notice. An older list than one already seen is ignored.
 * @throws ChatEngineError chat_peer_not_set_up when the person has no device list.
 */
export async function refreshContact(ctx: EngineContext, userId: string): Promise<{ contact: ContactRecord; changed: boolean }> {
  const list = await fetchVerifiedList(ctx.client, userId);
  if (!list) throw new ChatEngineError("chat_peer_not_set_up");
  return ctx.storage.exclusive(async () => {
    const known = await ctx.storage.getValue<ContactRecord>(KV.contact(userId));
    const sameKey = known ? IdentityKey.deserialize(known.accountKey).equals(list.accountKey) : true;
    if (known && sameKey && list.version < known.listVersion) return { contact: known, changed: false };
    const changed = !!known && !sameKey;
    const contact: ContactRecord = {
      userId,
      accountKey: list.accountKey.serialize(),
      listVersion: list.version,
      devices: list.devices,
      verified: changed ? false : (known?.verified ?? false),
      identityChanged: changed || (known?.identityChanged ?? false),
      checkedAt: ctx.now(),
    };
    // Device keys are vouched for by the signed list: record them as the sessions' identities.
    for (const device of list.devices) {
      await ctx.storage.protocol.identity.saveIdentity({ userId, deviceId: device.deviceId }, IdentityKey.deserialize(device.identityKey));
    }
    await ctx.storage.setValue(KV.contact(userId), contact);
    return { contact, changed };
  });
}

/** The contact as last verified, refreshed from the server when unknown. */
export async function knownContact(ctx: EngineContext, userId: string): Promise<ContactRecord> {
  return (await ctx.storage.getValue<ContactRecord>(KV.contact(userId))) ?? (await refreshContact(ctx, userId)).contact;
}

/** Signs and publishes our own list; the server refuses a version that is not newer. */
export async function publishOwnList(options: {
  client: ChatApiClient;
  userId: string;
  accountKeyPair: IdentityKeyPair;
  version: number;
  devices: DeviceEntry[];
  now: number;
}): Promise<Uint8Array> {
  const signedList = signDeviceList({
    accountKeyPair: options.accountKeyPair,
    userId: options.userId,
    version: options.version,
    devices: options.devices.map((d) => ({ ...d, identityKey: IdentityKey.deserialize(d.identityKey) })),
    now: options.now,
  });
  await options.client.chat.deviceList.publish.mutate({ version: options.version, signedList: toBase64Url(signedList) });
  return signedList;
}

/** Our own list changed on this device: publish it and remember it as our contact record. */
export async function replaceOwnList(ctx: EngineContext, devices: DeviceEntry[]): Promise<ContactRecord> {
  const current = await fetchVerifiedList(ctx.client, ctx.me.userId);
  const known = await ctx.storage.getValue<ContactRecord>(KV.contact(ctx.me.userId));
  const version = Math.max(current?.version ?? 0, known?.listVersion ?? 0) + 1;
  await publishOwnList({ client: ctx.client, userId: ctx.me.userId, accountKeyPair: ctx.accountKeyPair, version, devices, now: ctx.now() });
  const contact: ContactRecord = {
    userId: ctx.me.userId,
    accountKey: ctx.accountKeyPair.identityKey.serialize(),
    listVersion: version,
    devices,
    verified: true,
    identityChanged: false,
  };
  await ctx.storage.setValue(KV.contact(ctx.me.userId), contact);
  return contact;
}
