// Receiving: one SSE subscription for this device. Envelopes are handled strictly one at a time in
// arrival order: open the sealed envelope, check that the sender device is in the sender's signed
// device list, and only then decrypt, hand the content to the engine to store, and acknowledge
// (batched), which lets the server delete it. Anything that cannot be read is acknowledged too, or it
// would come back forever. The check comes before decrypting because decrypting a first message
// stores a session: one from an unlisted sender (anyone can run PQXDH against our public bundle and
// claim someone else's device) would be kept as that device's and block writing to it.
//
// Decrypting advances the ratchet for good (a second try fails as a duplicate), while checking
// and storing take network round trips. So what was decrypted goes at once into an inbox journal
// in the storage, and leaves it only when stored; a tab closed in between finishes the job at the
// next start, before the stream opens. The ratchet's writes and the journal entry land in one
// IndexedDB transaction (ChatStorage.atomically): a tab closed at any moment keeps both or neither,
// and with neither the envelope, not acknowledged, comes again.
import type { Unsubscribable } from "@trpc/server/observable";
import {
  CryptoError,
  decryptSealedMessage,
  IdentityKey,
  isCryptoError,
  openSealedMessage,
  senderKeyMessageGroupId,
  type OpenedEnvelope,
  type ProtocolAddress,
} from "../crypto";
import { serverErrorOf } from "./api-errors";
import { fromBase64Url } from "@/app/_shared/isomorphic/base64url";
import { decodeContent, type ChatContent } from "./chat-content";
import { cameTheRightWay } from "./content-routing";
import { refreshContact } from "./device-lists";
import type { EngineContext } from "./engine-context";
import type { GroupKeys } from "./groups/group-keys";
import type { AtomicWrites } from "../storage";
import { KV, type ContactRecord, type EnvelopeDelivery, type InboxEntry } from "./records";
import type { ConnectionState } from "./types";

const ACK_DELAY_MS = 150;
const RESUBSCRIBE_MS = 3_000;

export interface ReceiverEvents {
  connection(state: ConnectionState): void;
  /** The stream is (again) connected: a good moment to flush the outbox and top up prekeys. */
  connected(): void;
  /** Store the content; the envelope is acknowledged once this resolves. */
  received(sender: ProtocolAddress, content: ChatContent, delivery: EnvelopeDelivery | undefined): Promise<void>;
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
    private readonly groupKeys: GroupKeys,
    private readonly events: ReceiverEvents,
  ) {}

  start(): void {
    if (this.stopped) return;
    this.events.connection("connecting");
    this.queue = this.queue.then(() => this.finishJournal()).catch(() => undefined);
    // Always from the start (no last event id): whatever was not acknowledged comes again.
    this.subscription = this.ctx.client.chat.envelopes.stream.subscribe(
      { deviceRowId: this.ctx.device.rowId, lastEventId: null },
      {
        onData: (event) => {
          const { id, data } = event;
          const delivery: EnvelopeDelivery = { franking: data.franking ?? null, deliveredAt: new Date(data.createdAt).getTime() };
          this.queue = this.queue.then(() => this.handle(id, data.payload, delivery)).catch(() => undefined);
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
          this.resubscribeTimer = setTimeout(() => {
            this.resubscribeTimer = null;
            this.start();
          }, RESUBSCRIBE_MS);
        },
      },
    );
  }

  /** The network is back: a stream that broke reconnects now rather than after its wait. */
  reconnectNow(): void {
    if (this.stopped || this.subscription || !this.resubscribeTimer) return;
    clearTimeout(this.resubscribeTimer);
    this.resubscribeTimer = null;
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.resubscribeTimer) clearTimeout(this.resubscribeTimer);
    void this.flushAcks();
  }

  private async handle(envelopeId: string, payload: string, delivery: EnvelopeDelivery): Promise<void> {
    const entry = await this.open(envelopeId, fromBase64Url(payload), delivery);
    if (entry) await this.deliver(entry);
    this.acknowledge(envelopeId);
  }

  /**
   * Checks the sender, then decrypts and journals in one step under the storage's mutex; null when
   * it cannot be read or its sender is not listed.
   */
  private async open(envelopeId: string, envelope: Uint8Array, delivery: EnvelopeDelivery): Promise<InboxEntry | null> {
    const { storage, random, now } = this.ctx;
    try {
      const sealed = await openSealedMessage({ envelope, stores: storage.protocol });
      // May fetch the sender's list, which takes the mutex itself: so before it, not inside.
      if (!(await this.senderIsListed(sealed.sender, sealed.senderIdentityKey))) throw new CryptoError("UntrustedIdentity", "sender not listed");
      if (sealed.message.type === "senderkey") return await this.openGroupMessage(envelopeId, sealed, delivery);
      return await storage.exclusive(() =>
        storage.atomically(async (writes) => {
          // Checked again against the stored list, which may have changed in between.
          const acceptSender = async (sender: ProtocolAddress, key: IdentityKey) =>
            isListed(await writes.getValue<ContactRecord>(KV.contact(sender.userId)), sender, key);
          const opened = await decryptSealedMessage({ opened: sealed, stores: writes.protocol, random, now: now(), acceptSender });
          const entry: InboxEntry = {
            envelopeId,
            sender: opened.sender,
            senderIdentityKey: opened.senderIdentityKey.serialize(),
            plaintext: opened.plaintext,
            delivery,
          };
          await journal(writes, [entry]);
          return entry;
        }),
      );
    } catch (error) {
      // Duplicates (a re-delivery after a lost acknowledgement), forgeries, garbage: drop.
      if (isCryptoError(error)) {
        // The code only (never content or keys): what a developer needs to tell a replay from a bug.
        console.warn(`chat: dropped an envelope that could not be opened (${error.code})`);
        return null;
      }
      throw error;
    }
  }

  /**
   * A group message, encrypted with its sender device's chain for the group: decrypted and journaled
   * like a pairwise one; held (sealed in the storage) when its chain has not arrived yet.
   */
  private async openGroupMessage(envelopeId: string, sealed: OpenedEnvelope, delivery: EnvelopeDelivery): Promise<InboxEntry | null> {
    const { storage } = this.ctx;
    const message = sealed.message.body;
    const groupId = senderKeyMessageGroupId(message);
    const senderIdentityKey = sealed.senderIdentityKey.serialize();
    return storage.exclusive(() =>
      storage.atomically(async (writes) => {
        let plaintext: Uint8Array;
        try {
          plaintext = await this.groupKeys.decryptExclusive(groupId, sealed.sender, message, writes);
        } catch (error) {
          if (!isCryptoError(error, "NoSenderKey")) throw error;
          await this.groupKeys.holdExclusive(groupId, sealed.sender, senderIdentityKey, message, writes);
          return null;
        }
        const entry: InboxEntry = { envelopeId, via: "group", groupId, sender: sealed.sender, senderIdentityKey, plaintext, delivery };
        await journal(writes, [entry]);
        return entry;
      }),
    );
  }

  /**
   * A member device's chain for a group, with the message it opens: takes the chain, then decrypts
   * that message and any held ones from the same device, oldest first.
   */
  private async takeGroupKey(entry: InboxEntry, content: Extract<ChatContent, { t: "group-key" }>): Promise<void> {
    const { storage } = this.ctx;
    const { groupId } = content;
    const message = fromBase64Url(content.message);
    try {
      await this.groupKeys.receiveDistribution(groupId, entry.sender, fromBase64Url(content.distribution));
    } catch (error) {
      if (isCryptoError(error)) return;
      throw error;
    }
    const opened = await storage.exclusive(() =>
      storage.atomically(async (writes) => {
        await this.groupKeys.holdExclusive(groupId, entry.sender, entry.senderIdentityKey, message, writes);
        const held = await this.groupKeys.takeHeldExclusive(groupId, entry.sender, writes);
        const entries: InboxEntry[] = [];
        for (const h of held.sort((a, b) => a.receivedAt - b.receivedAt)) {
          try {
            const plaintext = await this.groupKeys.decryptExclusive(groupId, entry.sender, h.message, writes);
            // The message that came with the key came with this envelope's franking; held ones lost theirs.
            const delivery = sameBytes(h.message, message) ? entry.delivery : undefined;
            entries.push({
              envelopeId: crypto.randomUUID(),
              via: "group",
              groupId,
              sender: h.sender,
              senderIdentityKey: h.senderIdentityKey,
              plaintext,
              ...(delivery && { delivery }),
            });
          } catch (error) {
            if (!isCryptoError(error)) throw error;
            // Another chain of the same device (sent before a rotation whose key is still to come): keep waiting.
            if (error.code === "NoSenderKey") await this.groupKeys.holdExclusive(groupId, h.sender, h.senderIdentityKey, h.message, writes);
          }
        }
        await journal(writes, entries);
        return entries;
      }),
    );
    for (const e of opened) await this.deliver(e);
  }

  /** Stores and takes a decrypted entry out of the journal (checking its sender again: an older version journaled before checking). */
  private async deliver(entry: InboxEntry): Promise<void> {
    const content = decodeContent(entry.plaintext);
    if (
      content &&
      cameTheRightWay(content, entry, this.ctx.me.userId) &&
      (await this.senderIsListed(entry.sender, IdentityKey.deserialize(entry.senderIdentityKey)))
    ) {
      if (content.t === "group-key") await this.takeGroupKey(entry, content);
      else await this.events.received(entry.sender, content, entry.delivery);
    }
    const { storage } = this.ctx;
    await storage.exclusive(async () => {
      const left = ((await storage.getValue<InboxEntry[]>(KV.inbox)) ?? []).filter((e) => e.envelopeId !== entry.envelopeId);
      await storage.setValue(KV.inbox, left);
    });
  }

  /** What an earlier tab decrypted but did not get to store. */
  private async finishJournal(): Promise<void> {
    for (const entry of (await this.ctx.storage.getValue<InboxEntry[]>(KV.inbox)) ?? []) await this.deliver(entry);
  }

  /** The sending device must be in its owner's current signed list with the key that signed the envelope. */
  private async senderIsListed(sender: ProtocolAddress, key: IdentityKey): Promise<boolean> {
    if (isListed(await this.ctx.storage.getValue<ContactRecord>(KV.contact(sender.userId)), sender, key)) return true;
    try {
      const { contact, changed } = await refreshContact(this.ctx, sender.userId);
      if (changed) this.events.identityChanged(sender.userId);
      return isListed(contact, sender, key);
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

/** Adds decrypted entries to the inbox journal, in the same atomic writes as the decryption. */
async function journal(writes: AtomicWrites, entries: InboxEntry[]): Promise<void> {
  if (!entries.length) return;
  await writes.setValue(KV.inbox, [...((await writes.getValue<InboxEntry[]>(KV.inbox)) ?? []), ...entries]);
}

function isListed(contact: ContactRecord | undefined, sender: ProtocolAddress, key: IdentityKey): boolean {
  return !!contact?.devices.some((d) => d.deviceId === sender.deviceId && IdentityKey.deserialize(d.identityKey).equals(key));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
