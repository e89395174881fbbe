// Linking, from the existing device's side: open a relay slot for a fresh code, wait for the new
// device's request, let the person confirm its name, sign it into the device list, and send it
// the account key and trusted contacts sealed to its ephemeral key. The server relays opaque bytes.
// When the person chose it, the message history then follows (history-transfer.ts).
import { createLinkCode, deriveLinkKeys, IdentityKey, isCryptoError, openLinkRequest, sealLinkResponse, type OpenedLinkRequest } from "../crypto";
import { serverErrorOf } from "./api-errors";
import { encodeJsonWithBytes, type LinkSecrets } from "./backup-payload";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { knownContact, replaceOwnList } from "./device-lists";
import type { EngineContext } from "./engine-context";
import { KV, type BackupSettings, type ContactRecord, type ConversationRecord } from "./records";
import type { LinkOfferState } from "./types";

/** How often both sides of a link look at the relay slot. */
export const LINK_POLL_MS = 1_500;

/** Sends this device's history to the device `deviceRowId`; resolves to how many messages went. */
export type HistorySender = (deviceRowId: string, onProgress: (progress: number) => void) => Promise<number>;

export class LinkOffer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private opened: OpenedLinkRequest | null = null;
  private lookupId = "";
  private code = "";
  private expiresAt = 0;
  private closed = false;
  private done = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly onState: (state: LinkOfferState | null) => void,
    private readonly pollMs = LINK_POLL_MS,
    private readonly historySender: HistorySender | null = null,
  ) {}

  async start(): Promise<void> {
    const { code, display } = createLinkCode(this.ctx.random);
    this.code = code;
    const { lookupId } = deriveLinkKeys(code);
    this.lookupId = toBase64Url(lookupId);
    const opened = await this.ctx.client.chat.link.open.mutate({ lookupId: this.lookupId });
    this.expiresAt = new Date(opened.expiresAt).getTime();
    this.onState({ kind: "showing-code", code: display, expiresAt: this.expiresAt });
    this.poll();
  }

  private poll(): void {
    this.timer = setTimeout(() => void this.check(), this.pollMs);
  }

  private async check(): Promise<void> {
    if (this.closed) return;
    if (this.ctx.now() > this.expiresAt) return this.finish({ kind: "expired" });
    try {
      const slot = await this.ctx.client.chat.link.get.query({ lookupId: this.lookupId });
      if (!slot.request) return this.poll();
      this.opened = openLinkRequest({ code: this.code, request: fromBase64Url(slot.request) });
      this.onState({ kind: "confirm", code: this.code, deviceName: this.opened.deviceName });
    } catch (error) {
      if (isCryptoError(error)) return this.finish({ kind: "failed", code: "chat_link_wrong_code" });
      if (serverErrorOf(error).code === "NOT_FOUND") return this.finish({ kind: "expired" });
      this.poll();
    }
  }

  /** The person confirmed the new device: sign it in, hand it the account's secrets, and the history if chosen. */
  async approve(options: { sendHistory?: boolean } = {}): Promise<void> {
    const request = this.opened;
    if (!request || this.closed) return;
    this.onState({ kind: "linking" });
    try {
      // The device must exist on the server under our account with the key its request names.
      const registered = await this.ctx.client.chat.devices.list.query();
      const match = registered.find((d) => d.rowId === request.deviceRowId && d.identityKey === toBase64Url(request.deviceIdentityKey.serialize()));
      if (!match) return this.finish({ kind: "failed", code: "chat_link_wrong_code" });
      const own = await knownContact(this.ctx, this.ctx.me.userId);
      const devices = [
        ...own.devices.filter((d) => d.rowId !== request.deviceRowId),
        {
          rowId: request.deviceRowId,
          deviceId: request.deviceId,
          identityKey: request.deviceIdentityKey.serialize(),
          name: request.deviceName,
          addedAt: this.ctx.now(),
        },
      ];
      await replaceOwnList(this.ctx, devices);
      const response = sealLinkResponse({ code: this.code, request, secrets: await this.secrets(), random: this.ctx.random });
      await this.ctx.client.chat.link.respond.mutate({ lookupId: this.lookupId, response: toBase64Url(response) });
      this.done = true;
    } catch {
      return this.finish({ kind: "failed", code: "chat_link_failed" });
    }
    const deviceName = request.deviceName;
    if (!options.sendHistory || !this.historySender) return this.finish({ kind: "done", deviceName, history: "none" }, false);
    this.onState({ kind: "sending-history", deviceName, progress: 0 });
    try {
      const sent = await this.historySender(request.deviceRowId, (progress) => {
        if (!this.closed) this.onState({ kind: "sending-history", deviceName, progress });
      });
      this.finish({ kind: "done", deviceName, history: sent ? "sent" : "none" }, false);
    } catch {
      this.finish({ kind: "done", deviceName, history: "failed" }, false);
    }
  }

  async cancel(): Promise<void> {
    // After "done" the new device may still be reading its response: leave the slot to it.
    this.finish(null, !this.done);
  }

  private async secrets(): Promise<Uint8Array> {
    const conversations = await this.ctx.storage.listConversations<ConversationRecord>();
    const contacts: ContactRecord[] = [];
    for (const conversation of conversations) {
      const contact = await this.ctx.storage.getValue<ContactRecord>(KV.contact(conversation.id));
      if (contact && IdentityKey.deserialize(contact.accountKey)) contacts.push({ ...contact, devices: [] });
    }
    const secrets: LinkSecrets = {
      v: 1,
      accountKeyPair: this.ctx.accountKeyPair.serialize(),
      contacts,
      backup: (await this.ctx.storage.getValue<BackupSettings>(KV.backup)) ?? null,
    };
    return encodeJsonWithBytes(secrets);
  }

  /** Ends the offer; the relay slot is deleted unless the new device still has to read the response. */
  private finish(state: LinkOfferState | null, closeSlot = true): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (closeSlot && this.lookupId) void this.ctx.client.chat.link.close.mutate({ lookupId: this.lookupId }).catch(() => undefined);
    this.onState(state);
  }
}
