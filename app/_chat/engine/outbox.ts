// The outbox: every outgoing envelope batch is written to the storage first, then sent. Each item
// is sealed once for every device of the recipient (and, for messages, our own other devices) and
// then retried byte for byte with the same client message id, so a retry never duplicates. Retries
// back off from 1 s to 1 min with jitter; going online or reconnecting retries at once.
// Each device's copy succeeds or fails on its own: a device whose copy cannot be made (no session
// can be started with it, or its session is refused) is left out of the batch, the others' copies
// are sent, and that device alone is tried again, MAX_DEVICE_ATTEMPTS times at most.
// A 1:1 item for someone with no device yet (they never opened Messages) waits: our own devices get
// their copies, and the person's device list is looked at again, backing off from 5 s to 2 min while
// online, at once on reconnecting or when their conversation is opened (`recheck`); once they have a
// device it is sealed and sent like any other. The server sees only list fetches, as for any send.
import { IdentityKey, isCryptoError, sealedEncrypt, sealSenderKeyMessage, type ProtocolAddress } from "../crypto";
import { serverErrorOf } from "./api-errors";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { encodeContent, type ChatContent } from "./chat-content";
import { ChatEngineError } from "./chat-engine-error";
import { ownDevicesCopy } from "./content-routing";
import { knownContact } from "./device-lists";
import { expiresInSeconds } from "./message-expiry";
import type { EngineContext } from "./engine-context";
import type { GroupKeys } from "./groups/group-keys";
import { RecipientContacts } from "./recipient-contacts";
import type { DeviceEntry, OutboxEnvelope, OutboxRecord } from "./records";
import { commitmentFor } from "./message-franking";
import { ensureSessions } from "./sessions";

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
/** After this many failed attempts a message shows "failed" (it stays in the outbox for Retry). */
export const ATTEMPTS_BEFORE_FAILED = 6;
/** Attempts at making one device's copy before that device is given up on for this item. */
export const MAX_DEVICE_ATTEMPTS = 3;
/** How often the device list of someone with no device yet is looked at again: backing off between these. */
export const MIN_WAITING_CHECK_MS = 5_000;
export const MAX_WAITING_CHECK_MS = 2 * 60_000;

export interface OutboxEvents {
  /** The server stored the envelopes for message `messageId`. */
  sent(item: OutboxRecord): void;
  /** The person has no device yet: the item waits (our own devices have their copies) until they have one. */
  waiting(item: OutboxRecord): void;
  /** Failed `attempts` times (the UI shows "failed" after ATTEMPTS_BEFORE_FAILED), or refused for good. */
  failing(item: OutboxRecord, permanent: boolean): void;
  /** The peer's account key changed while refreshing its list. */
  identityChanged(userId: string): void;
  /** Who a group message goes to now: the group's members (this person included, for their other devices). */
  groupMembers(groupId: string): Promise<string[]>;
}

export class Outbox {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private readonly contacts: RecipientContacts;

  constructor(
    private readonly ctx: EngineContext,
    private readonly groupKeys: GroupKeys,
    private readonly events: OutboxEvents,
  ) {
    this.contacts = new RecipientContacts(ctx, (userId) => events.identityChanged(userId));
  }

  /** Queues content for one person (`peerUserId`), several (`recipientIds`) or a group's members (`groupId`). */
  async enqueue(
    options: { id?: string; content: ChatContent; staleAfterMs?: number } & (
      { peerUserId: string; syncToOwnDevices: boolean; onlyDevices?: string[] } | { recipientIds: string[] } | { groupId: string }
    ),
  ): Promise<OutboxRecord> {
    const item: OutboxRecord = {
      id: options.id ?? crypto.randomUUID(),
      createdAt: this.ctx.now(),
      peerUserId: "peerUserId" in options ? options.peerUserId : "",
      ...("recipientIds" in options ? { recipientIds: options.recipientIds } : {}),
      ...("groupId" in options ? { groupId: options.groupId } : {}),
      content: options.content,
      syncToOwnDevices: "syncToOwnDevices" in options && options.syncToOwnDevices,
      ...("onlyDevices" in options && options.onlyDevices ? { onlyDevices: options.onlyDevices } : {}),
      attempts: 0,
      nextAttemptAt: 0,
      envelopes: null,
      ...(options.staleAfterMs !== undefined && { staleAt: this.ctx.now() + options.staleAfterMs }),
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
    void this.drain(force)
      .catch((error: unknown) => {
        // Stopping closes the storage under a send in progress: that is no error.
        if (!this.stopped) throw error;
      })
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
        if (!this.running) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  /** Resolves once no send is under way (a retry may still be scheduled). */
  idle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  /** Makes a failed item due again (the Retry button); false when there is none (it was given up on). */
  async retry(id: string): Promise<boolean> {
    const items = await listOutbox(this.ctx);
    const item = items.find((i) => i.id === id);
    if (!item) return false;
    await this.ctx.storage.putOutboxItem({ ...item, attempts: 0, nextAttemptAt: 0 });
    this.kick(true);
    return true;
  }

  /** Looks at once whether `peerUserId`, for whom items wait, has a device now (their conversation was opened). */
  async recheck(peerUserId: string): Promise<void> {
    let due = false;
    for (const item of await listOutbox(this.ctx)) {
      if (item.peerUserId !== peerUserId || !item.waitingChecks) continue;
      await this.ctx.storage.putOutboxItem({ ...item, nextAttemptAt: 0 });
      due = true;
    }
    if (due) this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async drain(force: boolean): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const items = await listOutbox(this.ctx);
    let nextDue = Infinity;
    for (const item of items) {
      if (this.stopped) return;
      if (item.staleAt !== undefined && item.staleAt <= this.ctx.now()) {
        await this.ctx.storage.deleteOutboxItem(item.id);
        continue;
      }
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
    const expiresAt = expiryOf(item.content);
    // A disappearing message that expired before it could go: every copy of it is gone already.
    if (expiresAt !== undefined && expiresAt <= this.ctx.now()) {
      await this.ctx.storage.deleteOutboxItem(item.id);
      return null;
    }
    try {
      let peerWaiting = false;
      if (!current.envelopes) {
        const { envelopes, failed, waiting } = await this.seal(current);
        peerWaiting = waiting;
        const deviceFailures: Record<string, number> = {};
        const abandoned = [...(current.abandoned ?? [])];
        for (const rowId of failed) {
          const attempts = (current.deviceFailures?.[rowId] ?? 0) + 1;
          if (attempts >= MAX_DEVICE_ATTEMPTS) abandoned.push(rowId);
          else deviceFailures[rowId] = attempts;
        }
        current = { ...current, envelopes, abandoned, deviceFailures };
        await this.ctx.storage.putOutboxItem(current);
      }
      const envelopes = current.envelopes!;
      // Nobody (else) to send to, such as a note to self with no other device: nothing to store.
      // Group sends leave out members who blocked us (or whom we blocked) instead of failing for everyone.
      const group = !!(current.groupId || current.recipientIds);
      // One request per batch that fits the endpoint's body limit; the server dedupes by message id and device, so a retry resends them all safely.
      // The server deletes a disappearing message's envelopes at its expiry, delivered or not.
      const expiry = expiresAt !== undefined ? { expiresInSeconds: expiresInSeconds(expiresAt, this.ctx.now()) } : {};
      for (const batch of sendBatches(envelopes)) {
        await this.ctx.client.chat.envelopes.send.mutate({
          clientMessageId: current.id,
          envelopes: batch.map((e) => ({ ...e, ...expiry })),
          ...(group ? { group } : {}),
        });
      }
      const delivered = [...(current.delivered ?? []), ...envelopes.map((e) => e.deviceRowId)];
      if (peerWaiting) {
        const waitingChecks = (current.waitingChecks ?? 0) + 1;
        const next: OutboxRecord = {
          ...current,
          envelopes: null,
          delivered,
          attempts: 0,
          waitingChecks,
          nextAttemptAt: this.ctx.now() + waitingBackoff(waitingChecks),
        };
        await this.ctx.storage.putOutboxItem(next);
        this.events.waiting(next);
        return next.nextAttemptAt;
      }
      if (Object.keys(current.deviceFailures ?? {}).length) {
        // Some devices are still owed their copies: only they are sealed again, later.
        const attempts = current.attempts + 1;
        const next: OutboxRecord = { ...current, envelopes: null, delivered, attempts, nextAttemptAt: this.ctx.now() + this.backoff(attempts) };
        await this.ctx.storage.putOutboxItem(next);
        if (envelopes.length) this.events.sent(next);
        return next.nextAttemptAt;
      }
      await this.ctx.storage.deleteOutboxItem(current.id);
      const done = { ...current, delivered };
      // Every copy given up on and none stored: the message went nowhere.
      if (!delivered.length && done.abandoned?.length) this.events.failing(done, true);
      else this.events.sent(done);
      return null;
    } catch (error) {
      const { code, network } = serverErrorOf(error);
      // A device was revoked or added meanwhile: seal again for the current lists.
      const reseal = code === "NOT_FOUND";
      const permanent = !network && (code === "FORBIDDEN" || code === "BAD_REQUEST");
      const attempts = current.attempts + 1;
      const next: OutboxRecord = {
        ...current,
        attempts,
        envelopes: reseal ? null : current.envelopes,
        nextAttemptAt: this.ctx.now() + (reseal ? 0 : this.backoff(attempts)),
      };
      // Devices marked as holding the group's chain may not have got it: everyone gets it again next time.
      if (current.groupId && (permanent || reseal)) await this.groupKeys.forgetDistribution(current.groupId);
      // Worth something only now (a typing signal): not tried again.
      if (current.staleAt !== undefined) {
        await this.ctx.storage.deleteOutboxItem(current.id);
        return null;
      }
      if (permanent) {
        await this.ctx.storage.deleteOutboxItem(current.id);
        this.events.failing(next, true);
        return null;
      }
      await this.ctx.storage.putOutboxItem(next);
      // Once some copies are stored the message is "sent"; the rest are retried without saying "failed".
      if (attempts >= ATTEMPTS_BEFORE_FAILED && !current.delivered?.length) this.events.failing(next, false);
      return next.nextAttemptAt;
    }
  }

  private backoff(attempts: number): number {
    return Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(attempts - 1, 10)) * (0.75 + Math.random() / 2);
  }

  /**
   * Seals the content for every device of its recipients, leaving out the devices this item is
   * done with. `failed` are the devices whose copies could not be made.
   */
  private async seal(item: OutboxRecord): Promise<{ envelopes: OutboxEnvelope[]; failed: string[]; waiting: boolean }> {
    const settled = new Set([...(item.delivered ?? []), ...(item.abandoned ?? [])]);
    const { targets: all, waiting } = await this.targetsOf(item);
    const only = item.onlyDevices && new Set(item.onlyDevices);
    const targets = all.filter((t) => t.device.rowId !== this.ctx.device.rowId && !settled.has(t.device.rowId) && (!only || only.has(t.device.rowId)));
    const sealed = item.groupId
      ? await this.sealForGroup(item.groupId, item.content, targets)
      : await this.sealPairwise(targets.map((t) => ({ ...t, content: t.userId === this.ctx.me.userId && t.sync ? t.sync : item.content })));
    // One commitment per message, beside each of its envelopes (the server binds it per recipient).
    const commitment = commitmentFor(item.content, this.ctx.random);
    return { envelopes: sealed.envelopes.map((e) => ({ ...e, commitment })), failed: sealed.failed, waiting };
  }

  /**
   * Every device the item goes to, with the sync copy our own devices get instead of a 1:1 text;
   * `waiting` when it is for one other person who has no device yet.
   */
  private async targetsOf(item: OutboxRecord): Promise<{ targets: Target[]; waiting: boolean }> {
    const { ctx } = this;
    if (item.groupId || item.recipientIds) {
      const userIds = item.groupId ? await this.events.groupMembers(item.groupId) : item.recipientIds!;
      const contacts = await this.contacts.contactsOf(userIds);
      return { targets: contacts.flatMap((contact) => contact.devices.map((device) => ({ userId: contact.userId, device, sync: null }))), waiting: false };
    }
    const [peer, own] = await Promise.all([
      this.contacts.contactFor(item.peerUserId, { fresh: true }).catch((error: unknown) => {
        if (error instanceof ChatEngineError && error.code === "chat_peer_not_set_up") return null;
        throw error;
      }),
      item.syncToOwnDevices && item.peerUserId !== ctx.me.userId ? this.contacts.contactFor(ctx.me.userId, { fresh: true }) : knownContact(ctx, ctx.me.userId),
    ]);
    const targets: Target[] = (peer?.devices ?? []).map((device) => ({ userId: item.peerUserId, device, sync: null }));
    const sync = item.syncToOwnDevices ? ownDevicesCopy(item.content, item.peerUserId) : null;
    if (sync) for (const device of own.devices) targets.push({ userId: ctx.me.userId, device, sync });
    return { targets, waiting: item.peerUserId !== ctx.me.userId && !peer?.devices.length };
  }

  /** One Double Ratchet copy per device, each in the session with that device. */
  private async sealPairwise(
    targets: { userId: string; device: DeviceEntry; content: ChatContent }[],
  ): Promise<{ envelopes: OutboxEnvelope[]; failed: string[] }> {
    const { ctx } = this;
    const failed = new Set<string>();
    for (const userId of new Set(targets.map((t) => t.userId))) {
      const devices = targets.filter((t) => t.userId === userId).map((t) => t.device);
      for (const rowId of await ensureSessions(ctx, userId, devices)) failed.add(rowId);
    }
    const envelopes: OutboxEnvelope[] = [];
    for (const target of targets) {
      if (failed.has(target.device.rowId)) continue;
      try {
        const payload = await ctx.storage.exclusive(() =>
          sealedEncrypt({
            address: { userId: target.userId, deviceId: target.device.deviceId },
            sender: this.sender(),
            plaintext: encodeContent(target.content),
            stores: ctx.storage.protocol,
            random: ctx.random,
            now: ctx.now(),
          }),
        );
        envelopes.push({ deviceRowId: target.device.rowId, payload: toBase64Url(payload) });
      } catch (error) {
        if (!isCryptoError(error)) throw error;
        // The server had no bundle for it (revoked since the list was signed): leave it out.
        if (error.code !== "NoSession") failed.add(target.device.rowId);
      }
    }
    return { envelopes, failed: [...failed] };
  }

  /**
   * A group message: encrypted once with this device's sender key, then sealed for each member
   * device. A device that does not have the chain yet gets it pairwise (the "group-key" content)
   * together with the message, in the same single envelope.
   */
  private async sealForGroup(groupId: string, content: ChatContent, targets: Target[]): Promise<{ envelopes: OutboxEnvelope[]; failed: string[] }> {
    const { ctx } = this;
    const prepared = await this.groupKeys.encrypt(groupId, encodeContent(content));
    const newcomers = targets.filter((t) => !prepared.distributedTo.has(t.device.rowId));
    const keyContent: ChatContent = { t: "group-key", groupId, distribution: toBase64Url(prepared.distribution), message: toBase64Url(prepared.message) };
    const pairwise = await this.sealPairwise(newcomers.map((t) => ({ userId: t.userId, device: t.device, content: keyContent })));
    const envelopes = [...pairwise.envelopes];
    for (const target of targets) {
      if (!prepared.distributedTo.has(target.device.rowId)) continue;
      const payload = await sealSenderKeyMessage({
        recipientIdentityKey: IdentityKey.deserialize(target.device.identityKey),
        sender: this.sender(),
        message: prepared.message,
        stores: ctx.storage.protocol,
        random: ctx.random,
        now: ctx.now(),
      });
      envelopes.push({ deviceRowId: target.device.rowId, payload: toBase64Url(payload) });
    }
    await this.groupKeys.markDistributed(
      groupId,
      pairwise.envelopes.map((e) => e.deviceRowId),
    );
    return { envelopes, failed: pairwise.failed };
  }

  private sender(): ProtocolAddress {
    return { userId: this.ctx.me.userId, deviceId: this.ctx.device.deviceId };
  }
}

/** A disappearing message's expiry (ms), or undefined for content that stays. */
function expiryOf(content: ChatContent): number | undefined {
  return content.t === "text" || content.t === "sent" || content.t === "group-text" ? content.expiresAt : undefined;
}

interface Target {
  userId: string;
  device: DeviceEntry;
  /** What our own devices get instead of the content (the "sent" copy of a 1:1 text), or null. */
  sync: ChatContent | null;
}

/** The pause before looking again at the list of someone with no device, after `checks` looks. */
function waitingBackoff(checks: number): number {
  return Math.min(MAX_WAITING_CHECK_MS, MIN_WAITING_CHECK_MS * 2 ** Math.min(checks - 1, 10)) * (0.75 + Math.random() / 2);
}

/** Stays well under the tRPC endpoint's 8 MiB body limit (JSON around base64url payloads). */
export const MAX_SEND_BATCH_BYTES = 6 * 1024 * 1024;
/** The server's MAX_ENVELOPES_PER_BATCH. */
const MAX_SEND_BATCH_ENVELOPES = 2_500;

/** Splits one message's envelopes into requests under both limits, in order. */
export function sendBatches(envelopes: readonly OutboxEnvelope[]): OutboxEnvelope[][] {
  const batches: OutboxEnvelope[][] = [];
  let current: OutboxEnvelope[] = [];
  let bytes = 0;
  for (const envelope of envelopes) {
    const size = envelope.payload.length + envelope.deviceRowId.length + 40;
    if (current.length && (bytes + size > MAX_SEND_BATCH_BYTES || current.length >= MAX_SEND_BATCH_ENVELOPES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(envelope);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** The stored items, oldest first; copies sealed before `deviceRowId` was so named stored it as `deviceId`. */
async function listOutbox(ctx: EngineContext): Promise<OutboxRecord[]> {
  const items = await ctx.storage.listOutbox<OutboxRecord>();
  return items.map((item) => {
    const stored = item.envelopes as (OutboxEnvelope | { deviceId: string; payload: string })[] | null;
    if (!stored?.some((e) => !("deviceRowId" in e))) return item;
    return { ...item, envelopes: stored.map((e) => ("deviceRowId" in e ? e : { deviceRowId: e.deviceId, payload: e.payload })) };
  });
}
