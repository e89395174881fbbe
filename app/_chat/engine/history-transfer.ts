// Message history for a device just linked (docs/e2ee-protocol.md, "History on a newly linked
// device"). The existing device writes its conversations and messages (files as references, never
// their bytes) as JSON chunks of at most HISTORY_CHUNK_BYTES, uploads each as an encrypted blob with
// a fresh key (the attachments' upload: streamed, resumable, served by the server to the new device
// alone), and sends the keys to the new device alone, pairwise in its Double Ratchet session. The
// new device keeps that content until it has downloaded, checked (each blob's digest) and merged
// every chunk, so a closed tab picks the transfer up again at the next start.
import type { ChatStorage } from "../storage";
import { downloadAttachmentBlob } from "./attachments/download";
import type { AttachmentTransport } from "./attachments/attachment-transport";
import type { RetryPolicy } from "./attachments/transfer-retry";
import { uploadAttachment } from "./attachments/upload";
import { asRestored, decodeJsonWithBytes, encodeJsonWithBytes } from "./backup-payload";
import { MAX_HISTORY_CHUNKS, type ChatContent } from "./chat-content";
import type { EngineContext } from "./engine-context";
import type { ConversationRecord, MessageRecord } from "./records";

/** Plaintext bytes of one chunk at most (a single message larger than this is a chunk of its own). */
export const HISTORY_CHUNK_BYTES = 4 * 1024 * 1024;

export type HistoryContent = Extract<ChatContent, { t: "history" }>;

/** One chunk's plaintext: the conversations come with the first. */
export interface HistoryChunk {
  v: 1;
  conversations: ConversationRecord[];
  messages: MessageRecord[];
}

/** kv: a history content being received (kept until every chunk is merged). */
export const PENDING_HISTORY_KEY = "pending-history";

/**
 * The history in chunks, oldest messages first, each message as a new device will hold it (its files
 * not here); disappearing messages already expired are left out (the others keep their expiry).
 */
export async function* historyChunks(
  storage: ChatStorage,
  now: number,
  chunkBytes = HISTORY_CHUNK_BYTES,
): AsyncGenerator<{ bytes: Uint8Array; messages: number }> {
  const conversations = await storage.listConversations<ConversationRecord>();
  const none = new Set<string>();
  let messages: MessageRecord[] = [];
  let size = 0;
  let first = true;
  const flush = () => {
    const chunk: HistoryChunk = { v: 1, conversations: first ? conversations : [], messages };
    const out = { bytes: encodeJsonWithBytes(chunk), messages: messages.length };
    first = false;
    messages = [];
    size = 0;
    return out;
  };
  for await (const batch of storage.iterateMessages<MessageRecord>(200)) {
    for (const record of batch) {
      if (record.expiresAt !== undefined && record.expiresAt <= now) continue;
      const message = asRestored(record, none);
      const bytes = encodeJsonWithBytes(message).length + 1;
      if (messages.length && size + bytes > chunkBytes) yield flush();
      messages.push(message);
      size += bytes;
    }
  }
  if (messages.length || first) yield flush();
}

/**
 * Uploads this device's history for the device `deviceRowId` and hands the content naming its
 * chunks to `send` (which seals it for that device alone). Resolves to the number of messages
 * sent, 0 (nothing sent) when there is no message.
 */
export async function sendHistory(options: {
  ctx: EngineContext;
  transport: AttachmentTransport;
  retry: RetryPolicy;
  deviceRowId: string;
  signal: AbortSignal;
  /** 0..1 */
  onProgress(progress: number): void;
  send(content: HistoryContent): Promise<void>;
}): Promise<number> {
  const { ctx } = options;
  const total = await ctx.storage.countMessages();
  if (!total) return 0;
  const chunks: HistoryContent["chunks"] = [];
  let count = 0;
  options.onProgress(0);
  for await (const chunk of historyChunks(ctx.storage, ctx.now())) {
    if (chunks.length >= MAX_HISTORY_CHUNKS) break;
    const uploaded = await uploadAttachment({
      client: ctx.client,
      transport: options.transport,
      random: ctx.random,
      source: new Blob([chunk.bytes.slice()]),
      recipientDeviceRowIds: [options.deviceRowId],
      signal: options.signal,
      retry: options.retry,
      onProgress: (sent, bytes) => options.onProgress((count + (chunk.messages * sent) / Math.max(1, bytes)) / total),
    });
    chunks.push({ ...uploaded, size: chunk.bytes.length });
    count += chunk.messages;
  }
  await options.send({ t: "history", chunks, messages: count });
  options.onProgress(1);
  return count;
}

/**
 * The new device's side: downloads each chunk (its digest checked by the decryptor), hands it to
 * `merge`, and tells the server the blob was fetched (so it is deleted). Chunks already merged
 * before a restart are merged again harmlessly: merging is by message id.
 */
export async function receiveHistory(options: {
  ctx: EngineContext;
  transport: AttachmentTransport;
  retry: RetryPolicy;
  content: HistoryContent;
  signal: AbortSignal;
  /** 0..1 */
  onProgress(progress: number): void;
  merge(chunk: HistoryChunk): Promise<void>;
}): Promise<void> {
  const { ctx, content } = options;
  const total = content.chunks.reduce((sum, chunk) => sum + chunk.size, 0);
  let done = 0;
  options.onProgress(0);
  for (const chunk of content.chunks) {
    const pieces: Uint8Array[] = [];
    await downloadAttachmentBlob({
      transport: options.transport,
      blob: chunk,
      size: chunk.size,
      deviceRowId: ctx.device.rowId,
      signal: options.signal,
      retry: options.retry,
      write: async (plaintext) => void pieces.push(plaintext.slice()),
      onProgress: (received, bytes) => options.onProgress((done + (chunk.size * received) / Math.max(1, bytes)) / total),
    });
    const bytes = new Uint8Array(chunk.size);
    let at = 0;
    for (const piece of pieces) {
      bytes.set(piece, at);
      at += piece.length;
    }
    const parsed = decodeJsonWithBytes<HistoryChunk>(bytes);
    if (parsed.v !== 1 || !Array.isArray(parsed.conversations) || !Array.isArray(parsed.messages)) throw new Error("history chunk of an unknown form");
    await options.merge(parsed);
    await ctx.client.chat.attachments.fetched.mutate({ id: chunk.id, deviceRowId: ctx.device.rowId }).catch(() => undefined);
    done += chunk.size;
  }
  options.onProgress(1);
}
