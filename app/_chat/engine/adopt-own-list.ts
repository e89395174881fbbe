// A linked or restored device joins its account's device list: linked, the existing device has
// already signed it in (that list is trusted as is); restored, it signs itself in with the
// restored account key, next to the devices still listed under that key.
import { ChatEngineError } from "./chat-engine-error";
import { fetchVerifiedList, refreshContact, replaceOwnList } from "./device-lists";
import type { EngineContext } from "./engine-context";
import { KV, type ContactRecord, type DeviceEntry } from "./records";

/** @throws ChatEngineError chat_link_failed when the list naming us changes under us while adopting it */
export async function adoptOwnList(ctx: EngineContext, self: DeviceEntry): Promise<void> {
  const list = await fetchVerifiedList(ctx.client, ctx.me.userId);
  const sameAccount = !!list && list.accountKey.equals(ctx.accountKeyPair.identityKey);
  const others = sameAccount ? list.devices.filter((d) => d.rowId !== self.rowId) : [];
  const listed = sameAccount && list.devices.some((d) => d.rowId === self.rowId);
  if (listed) {
    // Linked: the existing device signed us in; trust that list.
    await ctx.storage.setValue<ContactRecord>(KV.contact(ctx.me.userId), {
      userId: ctx.me.userId,
      accountKey: ctx.accountKeyPair.identityKey.serialize(),
      listVersion: 0,
      devices: [],
      verified: true,
      identityChanged: false,
    });
    const { changed } = await refreshContact(ctx, ctx.me.userId);
    if (changed) throw new ChatEngineError("chat_link_failed");
    return;
  }
  await replaceOwnList(ctx, [...others, self]);
}
