// Files in messages, on one running engine: sending (prepare, store the message at once, keep our
// own copy, upload each file, then hand the message with its refs to the outbox), downloading
// (into this device's storage, checked, then telling the server it may drop the blob), opening
// local copies, and putting right what a closed tab left half done. Progress lives in memory only:
// threads show it through `shown`, the stored records keep just each file's status.
import { encryptedAttachmentSize } from "../../crypto";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { serverErrorOf } from "../api-errors";
import { ChatEngineError } from "../chat-engine-error";
import { expiresInSeconds } from "../message-expiry";
import type { Conversations } from "../conversations";
import type { EngineContext } from "../engine-context";
import { messageRecord } from "../message-record";
import type { RecipientContacts } from "../recipient-contacts";
import { KV, type MessageRecord, type QuoteSnapshot, type StoredAttachment, type TransferJournal } from "../records";
import { toEngineError } from "../to-engine-error";
import { AUTO_DOWNLOAD_IMAGE_BYTES, MAX_ATTACHMENTS_PER_MESSAGE } from "../types";
import type { AttachmentTransport } from "./attachment-transport";
import { fitThumbnails, thumbnailShare } from "./content-budget";
import { downloadAttachmentBlob } from "./download";
import { LocalFileWriter, readLocalFile, writeLocalFile } from "./local-files";
import type { MediaTools } from "./media-tools";
import { cleanFileName, cleanMimeType, prepareFile, type PreparedFile } from "./prepare-file";
import { waitToRetry, type RetryPolicy } from "./transfer-retry";
import { uploadAttachment, type UploadedBlob } from "./upload";

/** Received images downloading by themselves at once; more wait their turn. */
const AUTO_DOWNLOADS_AT_ONCE = 3;
/** A thread is shown a file's progress at most this often (and at every whole percent at most). */
const PROGRESS_INTERVAL_MS = 100;
/** Tries at telling the server a file arrived (else it keeps the blob until it expires). */
const FETCHED_TRIES = 4;
/** Types a local copy keeps when opened; anything else opens as application/octet-stream. */
const INLINE_TYPES = /^(image\/(jpeg|png|gif|webp|avif|bmp)|video\/[a-z0-9.+-]+|audio\/[a-z0-9.+-]+)$/;

export interface AttachmentsParts {
  ctx: EngineContext;
  transport: AttachmentTransport;
  media: MediaTools;
  retry: RetryPolicy;
  conversations: Conversations;
  contacts: RecipientContacts;
  /** Puts a line into its thread's view as it is now (after a progress step). */
  show(record: MessageRecord): void;
  /** Hands a message whose files are all up to the outbox. */
  send(record: MessageRecord): Promise<void>;
}

export class Attachments {
  /** Each moving file's progress (0..1), by its local id. */
  private readonly progress = new Map<string, number>();
  private readonly shownAt = new Map<string, number>();
  /** Running uploads, by message id. */
  private readonly uploads = new Map<string, AbortController>();
  /** Running downloads, by the file's local id. */
  private readonly downloads = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Messages with files moving, and how many transfers each (kept in the storage: a tab closed mid-way leaves them for `recover`). */
  private readonly moving = new Map<string, number>();
  private journalWrites: Promise<void> = Promise.resolve();
  private autoRunning = 0;
  private readonly autoQueue: (() => void)[] = [];
  private readonly stopSignal = new AbortController();

  constructor(private readonly parts: AttachmentsParts) {}

  /** A line as its thread shows it: files moving carry their progress. */
  shown(record: MessageRecord): MessageRecord {
    if (!record.attachments?.some((a) => this.progress.has(a.localId))) return record;
    return {
      ...record,
      attachments: record.attachments.map((a) => (this.progress.has(a.localId) ? { ...a, liveProgress: this.progress.get(a.localId)! } : a)),
    };
  }

  /**
   * Prepares the files, stores the message (its files "uploading") and resolves; the uploads run
   * on, and the message goes out once they are done. `recipientCount`: a group message's members.
   */
  async sendFiles(options: {
    conversationId: string;
    files: readonly File[];
    body: string;
    recipientCount?: number;
    reply?: { replyTo: string; quote: QuoteSnapshot | null };
    /** When a message sent at `sentAt` disappears (undefined: it stays). */
    expiryFor(sentAt: number): number | undefined;
    /** A view-once photo: sent without its thumbnail (which would show it). */
    viewOnce?: boolean;
  }): Promise<void> {
    const { ctx, conversations, media } = this.parts;
    const { conversationId, files, body } = options;
    if (files.length > MAX_ATTACHMENTS_PER_MESSAGE) throw new ChatEngineError("chat_attachment_too_many");
    const thumbnailBytes = thumbnailShare(
      body,
      files.map((file) => ({ name: cleanFileName(file.name), type: cleanMimeType(file.type) })),
    );
    // One at a time: a decoded photo is large.
    const prepared: PreparedFile[] = [];
    for (const file of files) prepared.push(await prepareFile(file, { media, thumbnailBytes }));
    await this.checkQuota(prepared.map((p) => p.blob.size));

    const id = crypto.randomUUID();
    const sources = new Map<string, Blob>();
    const attachments = fitThumbnails(
      body,
      prepared.map((p) => {
        const localId = crypto.randomUUID();
        sources.set(localId, p.blob);
        return {
          localId,
          name: p.name,
          type: p.type,
          kind: p.kind,
          size: p.blob.size,
          ...(p.width !== undefined && { width: p.width }),
          ...(p.height !== undefined && { height: p.height }),
          ...(p.durationMs !== undefined && { durationMs: p.durationMs }),
          ...(p.thumbnail && !options.viewOnce && { thumbnail: toBase64Url(p.thumbnail) }),
          status: "uploading",
        } satisfies StoredAttachment;
      }),
    );
    const recipients = options.recipientCount !== undefined ? { recipientCount: options.recipientCount } : {};
    // Journaled before it is stored, so no tab closing in between leaves it "uploading" for good.
    await this.hold(id);
    try {
      const sentAt = ctx.now();
      const life = { expiresAt: options.expiryFor(sentAt), viewOnce: options.viewOnce };
      await conversations.store(
        messageRecord({ id, conversationId, body, sentAt, ...life, outgoing: true, state: "sending", attachments, ...recipients, reply: options.reply }),
        { unread: false },
      );
      void this.upload(id, sources);
    } finally {
      void this.release(id);
    }
  }

  /** Uploads a failed message's files that are not up yet (from their local copies), then sends it. */
  retryUploads(messageId: string): void {
    void this.upload(messageId, new Map());
  }

  /** Stops a message's uploads; it then shows failed. */
  async cancelUpload(messageId: string): Promise<void> {
    const running = this.uploads.get(messageId);
    if (running) return running.abort();
    // Nothing running (a tab closed mid-way, put right already): just make sure it shows failed.
    await this.markUploadFailed(messageId, "chat_attachment_cancelled");
  }

  /** Downloads one file into the storage; a second call while it runs waits for the same download. */
  download(messageId: string, localId: string): Promise<void> {
    const running = this.downloads.get(localId);
    if (running) return running.done;
    const controller = new AbortController();
    const done = this.runDownload(messageId, localId, controller.signal).finally(() => this.downloads.delete(localId));
    this.downloads.set(localId, { controller, done });
    return done;
  }

  cancelDownload(localId: string): void {
    this.downloads.get(localId)?.controller.abort();
  }

  /**
   * A stored line with files arrived: images up to AUTO_DOWNLOAD_IMAGE_BYTES download by themselves
   * (a view-once photo too, for its reader; never for the sender's own other devices, which never show it).
   */
  received(record: MessageRecord): void {
    if (record.viewOnce && (record.outgoing || record.viewOnce.opened)) return;
    for (const a of record.attachments ?? []) {
      if (a.kind === "image" && a.size <= AUTO_DOWNLOAD_IMAGE_BYTES && a.status === "available") void this.autoDownload(record.id, a.localId);
    }
  }

  /** Tells the server this device is done with a blob (has it, or will never fetch it), so it can go once every recipient device is. */
  releaseBlob(blobId: string): void {
    void this.confirmFetched(blobId);
  }

  /** The local copy, typed for opening safely. */
  async open(messageId: string, localId: string): Promise<Blob> {
    const { record, attachment } = await this.find(messageId, localId);
    const type = INLINE_TYPES.test(attachment.type) ? attachment.type : "application/octet-stream";
    const blob = await readLocalFile(this.parts.ctx.storage, localId, attachment.size, type);
    if (blob) return blob;
    // Said to be here but missing (a backup that did not carry it): say so from now on.
    if (attachment.status === "downloaded") await this.setAttachment(record.id, localId, { status: "download-failed", error: "chat_attachment_gone" });
    throw new ChatEngineError("chat_attachment_gone");
  }

  async quota(): Promise<{ usedBytes: number; limitBytes: number }> {
    try {
      return await this.parts.ctx.client.chat.attachments.quota.query();
    } catch (error) {
      throw toEngineError(error);
    }
  }

  /**
   * A message deleted (for everyone, or from this device): stops its transfers and deletes the
   * local copies of `record`'s files; a blob this device never fetched is released on the server.
   */
  async erase(record: Pick<MessageRecord, "id" | "outgoing" | "attachments">): Promise<void> {
    const { storage } = this.parts.ctx;
    this.uploads.get(record.id)?.abort();
    for (const a of record.attachments ?? []) {
      const running = this.downloads.get(a.localId);
      running?.controller.abort();
      await running?.done.catch(() => undefined);
      this.progress.delete(a.localId);
      await storage.deleteAttachmentChunks(a.localId);
      if (!record.outgoing && a.blob && a.status !== "downloaded") void this.confirmFetched(a.blob.id);
    }
  }

  /** Puts right what a tab closed mid-transfer left: uploads show failed (Retry), downloads start over. */
  async recover(): Promise<void> {
    const { storage } = this.parts.ctx;
    const left = (await storage.getValue<TransferJournal>(KV.attachmentTransfers)) ?? [];
    for (const messageId of left) {
      if (this.moving.has(messageId)) continue;
      const updated = await this.parts.conversations.updateMessage(messageId, (record) => {
        if (!record.attachments?.some((a) => a.status === "uploading" || a.status === "downloading")) return null;
        const attachments = record.attachments.map((a): StoredAttachment => {
          if (a.status === "uploading") return { ...a, status: "upload-failed" };
          if (a.status === "downloading") return { ...a, status: "available" };
          return a;
        });
        const uploadsLeft = attachments.some((a) => a.status === "upload-failed");
        return { ...record, attachments, state: record.outgoing && uploadsLeft ? "failed" : record.state };
      });
      for (const a of updated?.attachments ?? []) if (a.status === "available") await storage.deleteAttachmentChunks(a.localId);
      if (updated) this.received(updated);
    }
    await this.writeJournal();
  }

  stop(): void {
    this.stopSignal.abort();
    for (const controller of this.uploads.values()) controller.abort();
    for (const { controller } of this.downloads.values()) controller.abort();
  }

  // Sending

  /** Refuses at once files the account's quota cannot take (when the server can be asked). */
  private async checkQuota(sizes: number[]): Promise<void> {
    const needed = sizes.reduce((sum, size) => sum + encryptedAttachmentSize(size), 0);
    const quota = await this.parts.ctx.client.chat.attachments.quota.query().catch(() => null);
    if (quota && quota.usedBytes + needed > quota.limitBytes) throw new ChatEngineError("chat_attachment_quota");
  }

  /** Uploads the message's files that are not up yet (`sources`: their Blobs on the first try), then sends it. */
  private async upload(messageId: string, sources: Map<string, Blob>): Promise<void> {
    if (this.uploads.has(messageId)) return;
    const controller = new AbortController();
    this.uploads.set(messageId, controller);
    const held = this.hold(messageId);
    const { ctx, conversations } = this.parts;
    const signal = controller.signal;
    try {
      await held;
      const started = await conversations.updateMessage(messageId, (record) =>
        record.attachments?.some((a) => !a.blob)
          ? { ...record, attachments: record.attachments.map((a) => (a.blob ? a : withoutError({ ...a, status: "uploading" }))) }
          : null,
      );
      const record = started ?? (await ctx.storage.getMessage<MessageRecord>(messageId));
      if (!record?.attachments) return;
      const waiting = record.attachments.filter((a) => !a.blob);
      for (const a of waiting) this.progress.set(a.localId, 0);
      const recipients = waiting.length ? await this.recipientsOf(record.conversationId) : [];
      for (const a of waiting) {
        const fresh = sources.get(a.localId);
        // Our own copy first: it opens at once, and a retry after a reload uploads from it.
        if (fresh) await writeLocalFile(ctx.storage, a.localId, fresh);
        const source = fresh ?? (await readLocalFile(ctx.storage, a.localId, a.size, a.type));
        if (!source) throw new ChatEngineError("chat_attachment_gone");
        const blob = recipients.length
          ? await uploadAttachment({
              client: ctx.client,
              transport: this.parts.transport,
              random: ctx.random,
              source,
              recipientDeviceRowIds: recipients,
              ...(record.expiresAt !== undefined && { expiresInSeconds: expiresInSeconds(record.expiresAt, ctx.now()) }),
              signal,
              retry: this.parts.retry,
              onProgress: (sent, total) => this.setProgress(messageId, a.localId, sent / total),
            })
          : nowhere(ctx);
        this.progress.delete(a.localId);
        await this.setAttachment(messageId, a.localId, { status: "downloaded", blob });
      }
      const ready = await ctx.storage.getMessage<MessageRecord>(messageId);
      if (ready) await this.parts.send(ready);
    } catch (error) {
      const code = signal.aborted ? "chat_attachment_cancelled" : toEngineError(error).code;
      // Stopped, the storage is closed under it: nothing left to mark.
      await this.markUploadFailed(messageId, code).catch(() => undefined);
    } finally {
      this.uploads.delete(messageId);
      const record = await ctx.storage.getMessage<MessageRecord>(messageId).catch(() => undefined);
      for (const a of record?.attachments ?? []) this.progress.delete(a.localId);
      await this.release(messageId);
    }
  }

  private async markUploadFailed(messageId: string, code: string): Promise<void> {
    await this.parts.conversations.updateMessage(messageId, (record) => {
      if (!record.outgoing || !record.attachments?.some((a) => !a.blob)) return null;
      return {
        ...record,
        state: "failed",
        attachments: record.attachments.map((a): StoredAttachment => (a.blob ? a : { ...a, status: "upload-failed", error: code })),
      };
    });
  }

  /** Every device the message will be sealed for, as the outbox finds them (this one left out). */
  private async recipientsOf(conversationId: string): Promise<string[]> {
    const { ctx, conversations, contacts } = this.parts;
    const me = ctx.me.userId;
    const group = conversations.group(conversationId);
    const lists = group
      ? await contacts.contactsOf(group.membership === "member" ? group.members.map((m) => m.userId) : [])
      : await Promise.all([contacts.contactFor(conversationId, { fresh: true }), ...(conversationId !== me ? [contacts.contactFor(me, { fresh: true })] : [])]);
    const rowIds = new Set(lists.flatMap((contact) => contact.devices.map((d) => d.rowId)));
    rowIds.delete(ctx.device.rowId);
    return [...rowIds];
  }

  // Downloading

  private async autoDownload(messageId: string, localId: string): Promise<void> {
    if (this.autoRunning >= AUTO_DOWNLOADS_AT_ONCE) await new Promise<void>((resolve) => this.autoQueue.push(resolve));
    this.autoRunning++;
    try {
      if (!this.stopSignal.signal.aborted) await this.download(messageId, localId);
    } catch {
      // Shown as failed on the file; the person may try again.
    } finally {
      this.autoRunning--;
      this.autoQueue.shift()?.();
    }
  }

  private async runDownload(messageId: string, localId: string, signal: AbortSignal): Promise<void> {
    const { ctx } = this.parts;
    const { attachment } = await this.find(messageId, localId);
    if (attachment.status === "downloaded") return;
    const blob = attachment.blob;
    if (!blob || attachment.status === "uploading" || attachment.status === "upload-failed") throw new ChatEngineError("chat_attachment_gone");
    await this.hold(messageId);
    this.progress.set(localId, 0);
    const writer = new LocalFileWriter(ctx.storage, localId);
    try {
      await ctx.storage.deleteAttachmentChunks(localId);
      await this.setAttachment(messageId, localId, { status: "downloading" });
      await downloadAttachmentBlob({
        transport: this.parts.transport,
        blob,
        size: attachment.size,
        deviceRowId: ctx.device.rowId,
        signal,
        retry: this.parts.retry,
        write: (plaintext) => writer.push(plaintext),
        onProgress: (received, total) => this.setProgress(messageId, localId, received / total),
      });
      await writer.finish();
      this.progress.delete(localId);
      await this.setAttachment(messageId, localId, { status: "downloaded" });
      void this.confirmFetched(blob.id);
    } catch (error) {
      const engineError = toEngineError(error);
      await writer.abort().catch(() => undefined);
      this.progress.delete(localId);
      const cancelled = engineError.code === "chat_attachment_cancelled";
      await this.setAttachment(messageId, localId, cancelled ? { status: "available" } : { status: "download-failed", error: engineError.code }).catch(
        () => undefined,
      );
      throw engineError;
    } finally {
      this.progress.delete(localId);
      await this.release(messageId);
    }
  }

  /** Tells the server this device has the file, so the blob can go once every recipient device has it. */
  private async confirmFetched(id: string): Promise<void> {
    const { ctx } = this.parts;
    for (let tries = 1; tries <= FETCHED_TRIES; tries++) {
      try {
        await ctx.client.chat.attachments.fetched.mutate({ id, deviceRowId: ctx.device.rowId });
        return;
      } catch (error) {
        // Gone already (every other device had it), or refused: nothing more to say.
        if (!serverErrorOf(error).network) return;
        await waitToRetry(tries + 1, this.parts.retry, this.stopSignal.signal).catch(() => undefined);
        if (this.stopSignal.signal.aborted) return;
      }
    }
  }

  // Shared

  private async find(messageId: string, localId: string): Promise<{ record: MessageRecord; attachment: StoredAttachment }> {
    const record = await this.parts.ctx.storage.getMessage<MessageRecord>(messageId);
    const attachment = record?.attachments?.find((a) => a.localId === localId);
    if (!record || !attachment) throw new ChatEngineError("chat_attachment_gone");
    return { record, attachment };
  }

  /** Changes one file of a stored message (a new status clears the last error unless it sets one). */
  private async setAttachment(messageId: string, localId: string, change: Partial<StoredAttachment>): Promise<void> {
    await this.parts.conversations.updateMessage(messageId, (record) => {
      if (!record.attachments?.some((a) => a.localId === localId)) return null;
      return { ...record, attachments: record.attachments.map((a) => (a.localId === localId ? { ...withoutError(a), ...change } : a)) };
    });
  }

  private setProgress(messageId: string, localId: string, fraction: number): void {
    const previous = this.progress.get(localId) ?? 0;
    this.progress.set(localId, fraction);
    const now = Date.now();
    if (fraction < 1 && (Math.floor(fraction * 100) === Math.floor(previous * 100) || now - (this.shownAt.get(messageId) ?? 0) < PROGRESS_INTERVAL_MS)) return;
    this.shownAt.set(messageId, now);
    void this.parts.ctx.storage
      .getMessage<MessageRecord>(messageId)
      .then((record) => record && this.parts.show(this.shown(record)))
      .catch(() => undefined);
  }

  /** Notes that a message has one more transfer running; resolves once the journal holds it. */
  private hold(messageId: string): Promise<void> {
    const count = (this.moving.get(messageId) ?? 0) + 1;
    this.moving.set(messageId, count);
    return count === 1 ? this.writeJournal() : this.journalWrites;
  }

  /** Notes that one of a message's transfers stopped. */
  private release(messageId: string): Promise<void> {
    const count = (this.moving.get(messageId) ?? 1) - 1;
    if (count > 0) {
      this.moving.set(messageId, count);
      return this.journalWrites;
    }
    this.moving.delete(messageId);
    return this.writeJournal();
  }

  private writeJournal(): Promise<void> {
    this.journalWrites = this.journalWrites
      .then(() => this.parts.ctx.storage.setValue<TransferJournal>(KV.attachmentTransfers, [...this.moving.keys()]))
      .catch(() => undefined);
    return this.journalWrites;
  }
}

function withoutError(attachment: StoredAttachment): StoredAttachment {
  const { error: _error, ...rest } = attachment;
  return rest;
}

/** A note to self with no other device: the file goes nowhere, so no blob; a ref that names none. */
function nowhere(ctx: EngineContext): UploadedBlob {
  return { id: crypto.randomUUID(), key: toBase64Url(ctx.random(32)), digest: toBase64Url(new Uint8Array(32)) };
}
