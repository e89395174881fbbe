// Receiving: one SSE subscription for this device. Envelopes are handled strictly one at a time in
// arrival order: open the sealed envelope, check that the sender device is in the sender's signed
// device list, hand the content to the engine to store, then acknowledge (batched), which lets the
// server delete it. Anything that cannot be read is acknowledged too, or it would come back forever.
import type { Unsubscribable } from "@trpc/server/observable";
import { IdentityKey, isCryptoError, sealedDecrypt, type ProtocolAddress } from "../crypto";
import { serverErrorOf } from "./api-errors";
import { fromBase64Url } from "./base64url";
import { decodeContent, type ChatContent } from "./chat-content";
import { refreshContact } from "./device-lists";
import type { EngineContext } from "./engine-context";
import { KV, type ContactRecord } from "./records";
import type { ConnectionState } from "./types";

const ACK_DELAY_MS = 150;
const RESUBSCRIBE_MS = 3_000;

export interface ReceiverEvents {
  connection(state: ConnectionState): void;
  /** The stream is (again) connected: a good moment to flush the outbox and top up prekeys. */
  connected(): void;
  /** Store the content; the envelope is acknowledged once this resolves. */
  received(sender: ProtocolAddress, content: ChatContent): Promise<void>;
  identityChanged(userId: string): void;
  /** This device was removed from the account: the stream is refused for good. */
  revoked(): void;
}

export class Receiver {
  private subscription: Unsubscribable | null = null;
  private queue: Promise<void> = Promise.resolve();
  private pendingAcks: string[] = [];
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private resubscribeTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly events: ReceiverEvents,
  ) {}

  start(): void {
    if (this.stopped) return;
    this.events.connection("connecting");
    // Always from the start (no last event id): whatever was not acknowledged comes again.
    this.subscription = this.ctx.client.chat.envelopes.stream.subscribe(
      { deviceId: this.ctx.device.rowId, lastEventId: null },
      {
        onData: (event) => {
          const { id, data } = event;
          this.queue = this.queue.then(() => this.handle(id, data.payload)).catch(() => undefined);
        },
        onConnectionStateChange: (state) => {
          if (state.state === "pending") {
            this.events.connection("online");
            this.events.connected();
          } else this.events.connection(state.state === "connecting" && navigator.onLine ? "connecting" : "offline");
        },
        onError: (error) => {
          this.subscription = null;
          if (serverErrorOf(error).code === "FORBIDDEN") {
            this.events.revoked();
            return;
          }
          this.events.connection("offline");
          this.resubscribeTimer = setTimeout(() => this.start(), RESUBSCRIBE_MS);
        },
      },
    );
  }

  stop(): void {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.resubscribeTimer) clearTimeout(this.resubscribeTimer);
    void this.flushAcks();
  }

  private async handle(envelopeId: string, payload: string): Promise<void> {
    const opened = await this.open(fromBase64Url(payload));
    if (opened) {
      const content = decodeContent(opened.plaintext);
      // A sync copy is believed only from our own devices.
      const allowed = content && (content.t !== "sent" || opened.sender.userId === this.ctx.me.userId);
      if (allowed && (await this.senderIsListed(opened.sender, opened.senderIdentityKey))) await this.events.received(opened.sender, content);
    }
    this.acknowledge(envelopeId);
  }

  private async open(envelope: Uint8Array) {
    try {
      return await this.ctx.storage.exclusive(() => sealedDecrypt({ envelope, stores: this.ctx.storage.protocol, random: this.ctx.random }));
    } catch (error) {
      // Duplicates (a re-delivery after a lost acknowledgement), forgeries, garbage: drop.
      if (isCryptoError(error)) return null;
      throw error;
    }
  }

  /** The sending device must be in its owner's current signed list with the key that signed the envelope. */
  private async senderIsListed(sender: ProtocolAddress, key: IdentityKey): Promise<boolean> {
    const listed = (contact: ContactRecord | undefined) =>
      !!contact?.devices.some((d) => d.deviceId === sender.deviceId && IdentityKey.deserialize(d.identityKey).equals(key));
    if (listed(await this.ctx.storage.getValue<ContactRecord>(KV.contact(sender.userId)))) return true;
    try {
      const { contact, changed } = await refreshContact(this.ctx, sender.userId);
      if (changed) this.events.identityChanged(sender.userId);
      return listed(contact);
    } catch {
      return false;
    }
  }

  private acknowledge(id: string): void {
    this.pendingAcks.push(id);
    if (this.pendingAcks.length >= 100) void this.flushAcks();
    else this.ackTimer ??= setTimeout(() => void this.flushAcks(), ACK_DELAY_MS);
  }

  private async flushAcks(): Promise<void> {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    const ids = this.pendingAcks.splice(0, 100);
    if (!ids.length) return;
    try {
      await this.ctx.client.chat.envelopes.ack.mutate({ ids });
    } catch {
      // Not acknowledged: the server sends them again, and the ratchet refuses the repeats.
    }
  }
}
