// This device's sender keys: its own sending chain per group, and the chains of the other member
// devices. Beyond Signal's sender keys, the own chain is replaced whenever someone leaves or is
// removed, and at least every MAX_SENDER_KEY_AGE_MS or MAX_SENDER_KEY_MESSAGES, so a leaked chain
// key opens a bounded window of messages. A sender-key message that arrives before its key waits
// (sealed in the storage) until the key comes, for at most PENDING_MAX_AGE_MS.
import { CryptoError, OwnSenderKey, ReceivedSenderKeys, type ProtocolAddress } from "../../crypto";
import type { AtomicWrites } from "../../storage";
import type { EngineContext } from "../engine-context";
import { KV, type GroupPendingEntry, type OwnSenderKeyRecord } from "../records";

export const MAX_SENDER_KEY_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_SENDER_KEY_MESSAGES = 1000;
const PENDING_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const PENDING_MAX_ENTRIES = 500;

export interface PreparedGroupMessage {
  /** The sender-key message: the same bytes for every member device. */
  message: Uint8Array;
  /** The distribution message of the chain that encrypted it, at its iteration (for devices without it). */
  distribution: Uint8Array;
  /** Device row ids that have this chain already. */
  distributedTo: ReadonlySet<string>;
}

export class GroupKeys {
  constructor(private readonly ctx: EngineContext) {}

  /** Encrypts one group message, starting a new chain first when the current one is due for replacement. */
  async encrypt(groupId: string, plaintext: Uint8Array): Promise<PreparedGroupMessage> {
    const { storage, random, now } = this.ctx;
    return storage.exclusive(async () => {
      let record = await storage.getValue<OwnSenderKeyRecord>(KV.ownSenderKey(groupId));
      if (!record || record.rotate || record.sent >= MAX_SENDER_KEY_MESSAGES || now() - record.createdAt >= MAX_SENDER_KEY_AGE_MS) {
        record = { key: OwnSenderKey.create(groupId, random).serialize(), createdAt: now(), sent: 0, distributedTo: [], rotate: false };
      }
      const key = OwnSenderKey.deserialize(record.key);
      const distribution = key.distributionMessage();
      const message = key.encrypt(plaintext);
      // Stored before anything is sent: a chain position is never used twice.
      await storage.setValue<OwnSenderKeyRecord>(KV.ownSenderKey(groupId), { ...record, key: key.serialize(), sent: record.sent + 1 });
      return { message, distribution, distributedTo: new Set(record.distributedTo) };
    });
  }

  /** These devices were sent the current chain (their envelopes are stored in the outbox item). */
  async markDistributed(groupId: string, deviceRowIds: readonly string[]): Promise<void> {
    if (!deviceRowIds.length) return;
    await this.update(groupId, (r) => ({ ...r, distributedTo: [...new Set([...r.distributedTo, ...deviceRowIds])] }));
  }

  /** A send was refused for good: everyone gets the chain again with the next message. */
  async forgetDistribution(groupId: string): Promise<void> {
    await this.update(groupId, (r) => ({ ...r, distributedTo: [] }));
  }

  /** Someone left or was removed: the next message starts a new chain they never get. */
  async rotate(groupId: string): Promise<void> {
    await this.update(groupId, (r) => ({ ...r, rotate: true }));
  }

  /** This person left or was removed: drops every key of the group. */
  async forgetGroup(groupId: string, members: readonly string[]): Promise<void> {
    const { storage } = this.ctx;
    await storage.exclusive(async () => {
      await storage.deleteValue(KV.ownSenderKey(groupId));
      await storage.deleteValue(KV.groupPending(groupId));
      for (const userId of members) {
        const contact = await storage.getValue<{ devices: { deviceId: number }[] }>(KV.contact(userId));
        for (const d of contact?.devices ?? []) await storage.deleteValue(KV.memberSenderKeys(groupId, { userId, deviceId: d.deviceId }));
      }
    });
  }

  /** Takes a member device's chain (from a pairwise "group-key" message). */
  async receiveDistribution(groupId: string, sender: ProtocolAddress, distribution: Uint8Array): Promise<void> {
    const { storage } = this.ctx;
    await storage.exclusive(async () => {
      const stored = await storage.getValue<Uint8Array>(KV.memberSenderKeys(groupId, sender));
      const keys = stored ? ReceivedSenderKeys.deserialize(stored) : ReceivedSenderKeys.empty(groupId);
      keys.process(distribution);
      await storage.setValue(KV.memberSenderKeys(groupId, sender), keys.serialize());
    });
  }

  /**
   * Decrypts a member device's sender-key message, inside the caller's exclusive section, through
   * the caller's atomic writes (the receiver journals the plaintext in the same transaction).
   * @throws {CryptoError} NoSenderKey when its chain has not arrived; DuplicatedMessage, InvalidMessage, …
   */
  async decryptExclusive(groupId: string, sender: ProtocolAddress, message: Uint8Array, storage: AtomicWrites): Promise<Uint8Array> {
    const stored = await storage.getValue<Uint8Array>(KV.memberSenderKeys(groupId, sender));
    if (!stored) throw new CryptoError("NoSenderKey", "no sender key from this device");
    const keys = ReceivedSenderKeys.deserialize(stored);
    const plaintext = keys.decrypt(message);
    await storage.setValue(KV.memberSenderKeys(groupId, sender), keys.serialize());
    return plaintext;
  }

  /** Keeps a message whose chain has not arrived (inside the caller's exclusive section). */
  async holdExclusive(groupId: string, sender: ProtocolAddress, senderIdentityKey: Uint8Array, message: Uint8Array, storage: AtomicWrites): Promise<void> {
    const { now } = this.ctx;
    const kept = ((await storage.getValue<GroupPendingEntry[]>(KV.groupPending(groupId))) ?? []).filter((e) => now() - e.receivedAt < PENDING_MAX_AGE_MS);
    kept.push({ sender: { userId: sender.userId, deviceId: sender.deviceId }, senderIdentityKey, message, receivedAt: now() });
    await storage.setValue(KV.groupPending(groupId), kept.slice(-PENDING_MAX_ENTRIES));
  }

  /** Takes out the held messages of one sender device, to decrypt now that its chain arrived (inside the caller's exclusive section). */
  async takeHeldExclusive(groupId: string, sender: ProtocolAddress, storage: AtomicWrites): Promise<GroupPendingEntry[]> {
    const all = (await storage.getValue<GroupPendingEntry[]>(KV.groupPending(groupId))) ?? [];
    const fromSender = (e: GroupPendingEntry) => e.sender.userId === sender.userId && e.sender.deviceId === sender.deviceId;
    if (!all.some(fromSender)) return [];
    await storage.setValue(
      KV.groupPending(groupId),
      all.filter((e) => !fromSender(e)),
    );
    return all.filter(fromSender);
  }

  private async update(groupId: string, change: (record: OwnSenderKeyRecord) => OwnSenderKeyRecord): Promise<void> {
    const { storage } = this.ctx;
    await storage.exclusive(async () => {
      const record = await storage.getValue<OwnSenderKeyRecord>(KV.ownSenderKey(groupId));
      if (record) await storage.setValue(KV.ownSenderKey(groupId), change(record));
    });
  }
}
