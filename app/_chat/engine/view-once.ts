// View-once photos on one running engine. A reader's devices download the photo like any image;
// opening it on one of them hands it to the viewer once, then deletes the local copy and the key
// there and tells the reader's other devices (which delete theirs and release the blob on the
// server) and the sender's (which show "opened") with a "viewed" content. The sender keeps no
// copy to open either: its own is deleted once the message went out.
import type { Attachments } from "./attachments/attachments";
import { readLocalFile } from "./attachments/local-files";
import type { ChatContent } from "./chat-content";
import { ChatEngineError } from "./chat-engine-error";
import type { Conversations } from "./conversations";
import type { EngineContext } from "./engine-context";
import type { MessageRecord, StoredAttachment } from "./records";

export class ViewOnce {
  constructor(
    private readonly ctx: EngineContext,
    private readonly conversations: Conversations,
    private readonly attachments: Attachments,
    private readonly send: (conversationId: string, content: ChatContent) => Promise<void>,
  ) {}

  /**
   * Opens a received view-once photo: resolves to the photo for the viewer, after it was deleted
   * here and the reader's other devices and the sender were told.
   * @throws ChatEngineError chat_attachment_gone when it was opened already (here or on another device)
   */
  async open(messageId: string): Promise<Blob> {
    const record = await this.ctx.storage.getMessage<MessageRecord>(messageId);
    const attachment = record?.attachments?.[0];
    if (!record?.viewOnce || record.outgoing || record.viewOnce.opened || !attachment) throw new ChatEngineError("chat_attachment_gone");
    if (attachment.status !== "downloaded") await this.attachments.download(messageId, attachment.localId);
    const photo = await readLocalFile(this.ctx.storage, attachment.localId, attachment.size, "image/jpeg");
    if (!photo) throw new ChatEngineError("chat_attachment_gone");
    await this.consume(record.id);
    await this.send(record.conversationId, { t: "viewed", messageId });
    return photo;
  }

  /** Our own view-once message went out: this device keeps no copy of the photo. */
  async sent(messageId: string): Promise<void> {
    await this.consume(messageId, { opened: false });
  }

  /** A stored copy of our own view-once message from another of our devices: this device will never fetch it. */
  stored(record: MessageRecord): void {
    if (!record.viewOnce || !record.outgoing) return;
    for (const a of record.attachments ?? []) if (a.status === "available" && a.blob) this.attachments.releaseBlob(a.blob.id);
  }

  /** "viewed" from `senderUserId` in this conversation: our own other device opened it, or a reader opened ours. */
  async receive(conversationId: string, senderUserId: string, messageId: string): Promise<void> {
    const record = await this.ctx.storage.getMessage<MessageRecord>(messageId);
    if (!record?.viewOnce || record.conversationId !== conversationId) return;
    const fromSelf = senderUserId === this.ctx.me.userId;
    // Not fetched here yet perhaps: erasing tells the server it may drop the blob without waiting for this device.
    if (!record.outgoing && fromSelf) await this.consume(messageId);
    else if (record.outgoing && !fromSelf) {
      await this.conversations.updateMessage(messageId, (r) => (r.viewOnce && !r.viewOnce.opened ? { ...r, viewOnce: { opened: true } } : null));
    }
  }

  /** Deletes the photo's local copy and its key here; the line stays, opened (or, for the sender, as it was). */
  private async consume(messageId: string, viewOnce = { opened: true }): Promise<void> {
    const record = await this.ctx.storage.getMessage<MessageRecord>(messageId);
    if (!record) return;
    await this.attachments.erase(record);
    await this.conversations.updateMessage(messageId, (r) => ({
      ...r,
      viewOnce: r.outgoing && r.viewOnce?.opened ? r.viewOnce : viewOnce,
      attachments: r.attachments?.map(({ localId, name, type, kind, size }): StoredAttachment => ({ localId, name, type, kind, size, status: "available" })),
    }));
  }
}
