// This person's devices as the running engine sees them: the signed list (refreshed, or as last
// known when offline), removing one (a new list without it, then revoking it on the server), and
// offering a link to a new one.
import { knownContact, refreshContact, replaceOwnList } from "./device-lists";
import { ChatEngineError } from "./chat-engine-error";
import type { EngineContext } from "./engine-context";
import { LinkOffer, type HistorySender } from "./link-offer";
import { KV, type ContactRecord } from "./records";
import { toEngineError } from "./to-engine-error";
import type { DeviceView, LinkOfferState } from "./types";

export class OwnDevices {
  private linkOffer: LinkOffer | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly onLink: (state: LinkOfferState | null) => void,
    private readonly linkPollMs: number,
    private readonly historySender: HistorySender | null = null,
  ) {}

  async list(): Promise<DeviceView[]> {
    const { ctx } = this;
    const { contact } = await refreshContact(ctx, ctx.me.userId).catch(async (error: unknown) => {
      const known = await ctx.storage.getValue<ContactRecord>(KV.contact(ctx.me.userId));
      if (!known) throw toEngineError(error);
      return { contact: known };
    });
    return contact.devices.map((d) => ({ rowId: d.rowId, name: d.name, addedAt: d.addedAt, current: d.rowId === ctx.device.rowId }));
  }

  /** The list is re-signed first, so the device stops being believed even if revoking fails. */
  async remove(rowId: string): Promise<void> {
    const { ctx } = this;
    if (rowId === ctx.device.rowId) throw new ChatEngineError("chat_cannot_remove_this_device");
    try {
      const own = await knownContact(ctx, ctx.me.userId);
      await replaceOwnList(
        ctx,
        own.devices.filter((d) => d.rowId !== rowId),
      );
      await ctx.client.chat.devices.revoke.mutate({ deviceRowId: rowId });
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async startLinkOffer(): Promise<void> {
    await this.linkOffer?.cancel();
    const offer = new LinkOffer(this.ctx, this.onLink, this.linkPollMs, this.historySender);
    this.linkOffer = offer;
    try {
      await offer.start();
    } catch (error) {
      this.onLink({ kind: "failed", code: toEngineError(error).code });
    }
  }

  async approveLink(options: { sendHistory?: boolean } = {}): Promise<void> {
    await this.linkOffer?.approve(options);
  }

  async cancelLink(): Promise<void> {
    await this.linkOffer?.cancel();
    this.linkOffer = null;
  }
}
