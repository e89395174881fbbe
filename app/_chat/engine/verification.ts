// Trust in a person's account key: the safety number both sides compare (read out or scanned),
// marking it verified or not, and what happens when their key changes (a notice in the
// conversation; verification is cleared by the device-list refresh that noticed the change).
import { computeSafetyNumber, compareScannedSafetyNumber, IdentityKey, isCryptoError } from "../crypto";
import { ChatEngineError } from "./chat-engine-error";
import type { Conversations } from "./conversations";
import { knownContact } from "./device-lists";
import type { EngineContext } from "./engine-context";
import { noticeRecord } from "./message-record";
import { KV, type ContactRecord } from "./records";
import type { ConversationNotice, SafetyNumberView } from "./types";

export class Verification {
  constructor(
    private readonly ctx: EngineContext,
    private readonly conversations: Conversations,
    /** A contact's trust changed: worth backing up. */
    private readonly changed: () => void,
  ) {}

  /** The peer's account key changed (their contact record already says so): warn in the conversation. */
  async identityChanged(userId: string): Promise<void> {
    const contact = await this.ctx.storage.getValue<ContactRecord>(KV.contact(userId));
    if (contact) this.conversations.setContact(contact);
    await this.notice(userId, "identity-changed");
    this.conversations.publish();
  }

  async safetyNumber(conversationId: string): Promise<SafetyNumberView> {
    const contact = await knownContact(this.ctx, conversationId);
    const { digits, qrPayload } = computeSafetyNumber({
      local: { identityKey: this.ctx.accountKeyPair.identityKey, stableId: this.ctx.me.userId },
      remote: { identityKey: IdentityKey.deserialize(contact.accountKey), stableId: conversationId },
    });
    return { digits, qrPayload, verified: contact.verified };
  }

  /** True when `scanned` is the other side's code of the same safety number; then marks verified. */
  async compareScanned(conversationId: string, scanned: Uint8Array): Promise<boolean> {
    const own = await this.safetyNumber(conversationId);
    let same = false;
    try {
      same = compareScannedSafetyNumber(own.qrPayload, scanned);
    } catch (error) {
      if (!isCryptoError(error)) throw error;
    }
    if (same) await this.setVerified(conversationId, true);
    return same;
  }

  async setVerified(conversationId: string, verified: boolean): Promise<void> {
    await this.updateContact(conversationId, (c) => ({ ...c, verified, identityChanged: verified ? false : c.identityChanged }));
    await this.notice(conversationId, verified ? "verified" : "unverified");
  }

  async acknowledgeIdentityChange(conversationId: string): Promise<void> {
    await this.updateContact(conversationId, (c) => ({ ...c, identityChanged: false }));
  }

  /** A notice line, only in a conversation that exists (opening one alone writes nothing). */
  private async notice(conversationId: string, kind: ConversationNotice["kind"]): Promise<void> {
    if (!this.conversations.has(conversationId)) return;
    await this.conversations.store(noticeRecord({ id: crypto.randomUUID(), conversationId, notice: kind, at: this.ctx.now() }), { unread: false });
  }

  private async updateContact(userId: string, change: (contact: ContactRecord) => ContactRecord): Promise<void> {
    const { storage } = this.ctx;
    const next = await storage.exclusive(async () => {
      const contact = await storage.getValue<ContactRecord>(KV.contact(userId));
      if (!contact) throw new ChatEngineError("chat_person_not_found");
      const updated = change(contact);
      await storage.setValue(KV.contact(userId), updated);
      return updated;
    });
    this.conversations.setContact(next);
    this.changed();
  }
}
