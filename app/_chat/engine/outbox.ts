// The outbox: every outgoing envelope batch is written to the storage first, then sent. Each item
// is sealed once for every device of the recipient (and, for messages, our own other devices) and
// then retried byte for byte with the same client message id, so a retry never duplicates. Retries
// back off from 1 s to 1 min with jitter; going online or reconnecting retries at once.
import { isCryptoError, sealedEncrypt } from "../crypto";
import { serverErrorOf } from "./api-errors";
import { toBase64Url } from "./base64url";
import { encodeContent, type ChatContent } from "./chat-content";
import { knownContact, refreshContact } from "./device-lists";
import type { EngineContext } from "./engine-context";
import type { OutboxRecord } from "./records";
import { ensureSessions } from "./sessions";

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
/** After this many failed attempts a message shows "failed" (it stays in the outbox for Retry). */
export const ATTEMPTS_BEFORE_FAILED = 6;

export interface OutboxEvents {
  /** The server stored the envelopes for message `messageId`. */
  sent(item: OutboxRecord): void;
  /** Failed `attempts` times (the UI shows "failed" after ATTEMPTS_BEFORE_FAILED), or refused for good. */
  failing(item: OutboxRecord, permanent: boolean): void;
  /** The peer's account key changed while refreshing its list. */
  identityChanged(userId: string): void;
}

export class Outbox {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly events: OutboxEvents,
  ) {}

  async enqueue(options: { id?: string; peerUserId: string; content: ChatContent; syncToOwnDevices: boolean }): Promise<OutboxRecord> {
    const item: OutboxRecord = {
      id: options.id ?? crypto.randomUUID(),
      createdAt: this.ctx.now(),
      peerUserId: options.peerUserId,
      content: options.content,
      syncToOwnDevices: options.syncToOwnDevices,
      attempts: 0,
      nextAttemptAt: 0,
      envelopes: null,
    };
    await this.ctx.storage.putOutboxItem(item);
    this.kick();
    return item;
  }

  /** Sends what is due now (and everything, with `force`). */
  kick(force = false): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain(force).finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Makes a failed item due again (the Retry button). */
  async retry(id: string): Promise<void> {
    const items = await this.ctx.storage.listOutbox<OutboxRecord>();
    const item = items.find((i) => i.id === id);
    if (!item) return;
    await this.ctx.storage.putOutboxItem({ ...item, attempts: 0, nextAttemptAt: 0 });
    this.kick(true);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async drain(force: boolean): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const items = await this.ctx.storage.listOutbox<OutboxRecord>();
    let nextDue = Infinity;
    for (const item of items) {
      if (this.stopped) return;
      if (!force && item.nextAttemptAt > this.ctx.now()) {
        nextDue = Math.min(nextDue, item.nextAttemptAt);
        continue;
      }
      const retryAt = await this.sendOne(item);
      if (retryAt !== null) nextDue = Math.min(nextDue, retryAt);
    }
    if (nextDue !== Infinity && !this.stopped) this.timer = setTimeout(() => this.kick(), Math.max(0, nextDue - this.ctx.now()));
  }

  /** Sends one item; returns when to try again, or null when it is done (sent or given up). */
  private async sendOne(item: OutboxRecord): Promise<number | null> {
    let current = item;
    try {
      if (!current.envelopes) {
        current = { ...current, envelopes: await this.seal(current) };
        await this.ctx.storage.putOutboxItem(current);
      }
      // Nobody to send to (a note to self with no other device): done.
      if (current.envelopes!.length) await this.ctx.client.chat.envelopes.send.mutate({ clientMessageId: current.id, envelopes: current.envelopes! });
      await this.ctx.storage.deleteOutboxItem(current.id);
      this.events.sent(current);
      return null;
    } catch (error) {
      const { code, network } = serverErrorOf(error);
      // A device was revoked or added meanwhile: seal again for the current lists.
      const reseal = code === "NOT_FOUND";
      const permanent = !network && (code === "FORBIDDEN" || code === "BAD_REQUEST");
      const attempts = current.attempts + 1;
      const backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(attempts - 1, 10));
      const next: OutboxRecord = {
        ...current,
        attempts,
        envelopes: reseal ? null : current.envelopes,
        nextAttemptAt: this.ctx.now() + (reseal ? 0 : backoff * (0.75 + Math.random() / 2)),
      };
      if (permanent) {
        await this.ctx.storage.deleteOutboxItem(current.id);
        this.events.failing(next, true);
        return null;
      }
      await this.ctx.storage.putOutboxItem(next);
      if (attempts >= ATTEMPTS_BEFORE_FAILED) this.events.failing(next, false);
      return next.nextAttemptAt;
    }
  }

  /** Seals the content for every device of the peer, and a sync copy for our other devices. */
  private async seal(item: OutboxRecord): Promise<{ deviceId: string; payload: string }[]> {
    const { ctx } = this;
    const [peerRefresh, own] = await Promise.all([
      refreshContact(ctx, item.peerUserId),
      item.syncToOwnDevices && item.peerUserId !== ctx.me.userId ? refreshContact(ctx, ctx.me.userId).then((r) => r.contact) : knownContact(ctx, ctx.me.userId),
    ]);
    if (peerRefresh.changed) this.events.identityChanged(item.peerUserId);
    const peer = peerRefresh.contact;
    const targets: { userId: string; device: (typeof peer.devices)[number]; content: ChatContent }[] = peer.devices
      .filter((d) => !(item.peerUserId === ctx.me.userId && d.rowId === ctx.device.rowId))
      .map((device) => ({ userId: peer.userId, device, content: item.content }));
    if (item.syncToOwnDevices && item.content.t === "text") {
      const sync: ChatContent = { t: "sent", id: item.content.id, to: item.peerUserId, body: item.content.body, sentAt: item.content.sentAt };
      for (const device of own.devices) if (device.rowId !== ctx.device.rowId) targets.push({ userId: ctx.me.userId, device, content: sync });
    }
    await ensureSessions(ctx, peer.userId, peer.devices);
    if (item.syncToOwnDevices) await ensureSessions(ctx, ctx.me.userId, own.devices.filter((d) => d.rowId !== ctx.device.rowId));
    const sender = { userId: ctx.me.userId, deviceId: ctx.device.deviceId };
    const envelopes: { deviceId: string; payload: string }[] = [];
    for (const target of targets) {
      try {
        const payload = await ctx.storage.exclusive(() =>
          sealedEncrypt({
            address: { userId: target.userId, deviceId: target.device.deviceId },
            sender,
            plaintext: encodeContent(target.content),
            stores: ctx.storage.protocol,
            random: ctx.random,
            now: ctx.now(),
          }),
        );
        envelopes.push({ deviceId: target.device.rowId, payload: toBase64Url(payload) });
      } catch (error) {
        // The server had no bundle for it (revoked since the list was signed): leave it out.
        if (isCryptoError(error) && error.code === "NoSession") continue;
        throw error;
      }
    }
    return envelopes;
  }
}
