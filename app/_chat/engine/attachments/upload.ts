// Uploading one file: encrypted as a stream (AttachmentEncryptor, a fresh key per file) from slices
// of the Blob, never the whole file in memory, and sent in parts of the server's maxPartBytes, each
// PATCHed at its offset. The part being sent stays in memory until the server has counted it: after
// a dropped connection or a 5xx the upload waits (transfer-retry.ts), asks where the server stands
// (HEAD) and sends the part again from there (the server only counts whole parts, so it stands
// either before the part or after it).
import { AttachmentEncryptor, createAttachmentKey, encryptedAttachmentSize, MAX_ATTACHMENT_BYTES } from "../../crypto";
import type { RandomSource } from "../../crypto";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { serverErrorOf } from "../api-errors";
import { ChatEngineError } from "../chat-engine-error";
import type { ChatApiClient } from "../engine-context";
import { toEngineError } from "../to-engine-error";
import { AttachmentTransportError, type AttachmentTransport } from "./attachment-transport";
import { MAX_TRANSFER_TRIES, waitToRetry, type RetryPolicy } from "./transfer-retry";

/** Plaintext read from the Blob at a time. */
const READ_BYTES = 1024 * 1024;

export interface UploadedBlob {
  /** The server's blob id, and the key and digest that open it (base64url). */
  id: string;
  key: string;
  digest: string;
}

export interface UploadOptions {
  client: ChatApiClient;
  transport: AttachmentTransport;
  random: RandomSource;
  source: Blob;
  /** Every device the message will be sealed for (this one left out). */
  recipientDeviceRowIds: string[];
  /** A disappearing message: the server deletes the blob this many seconds from now, fetched or not. */
  expiresInSeconds?: number;
  signal: AbortSignal;
  retry: RetryPolicy;
  /** Ciphertext bytes sent so far, of `total`. */
  onProgress(sent: number, total: number): void;
}

/**
 * @throws ChatEngineError chat_attachment_quota, chat_attachment_too_large, chat_attachment_cancelled,
 *   chat_attachment_failed (the server dropped or refused the upload), chat_offline (no connection
 *   for MAX_TRANSFER_TRIES tries), chat_blocked, chat_rate_limited
 */
export async function uploadAttachment(options: UploadOptions): Promise<UploadedBlob> {
  const { source, signal, transport, onProgress } = options;
  const size = source.size;
  if (size > MAX_ATTACHMENT_BYTES) throw new ChatEngineError("chat_attachment_too_large");
  const key = createAttachmentKey(options.random);
  const total = encryptedAttachmentSize(size);
  const { id, maxPartBytes } = await beginUpload(options, total);
  const partBytes = Math.max(1, Math.min(maxPartBytes, total));

  let stored = 0;
  let part = new Uint8Array(Math.min(partBytes, total));
  let filled = 0;
  const sendFilledPart = async () => {
    await sendPart({ id, offset: stored, part: part.subarray(0, filled), total, transport, signal, retry: options.retry, onProgress });
    stored += filled;
    part = new Uint8Array(Math.min(partBytes, total - stored));
    filled = 0;
  };
  const feed = async (ciphertext: Uint8Array) => {
    for (let at = 0; at < ciphertext.length;) {
      // The encryptor gives exactly `total` bytes: a part of none left would mean it did not.
      if (!part.length) throw new Error("more ciphertext than encryptedAttachmentSize said");
      const taken = Math.min(part.length - filled, ciphertext.length - at);
      part.set(ciphertext.subarray(at, at + taken), filled);
      filled += taken;
      at += taken;
      if (filled === part.length) await sendFilledPart();
    }
  };

  const encryptor = new AttachmentEncryptor({ key, size });
  onProgress(0, total);
  for (let at = 0; at < size; at += READ_BYTES) {
    if (signal.aborted) throw new ChatEngineError("chat_attachment_cancelled");
    await feed(encryptor.push(new Uint8Array(await source.slice(at, at + READ_BYTES).arrayBuffer())));
  }
  const { tail, digest } = encryptor.finish();
  await feed(tail);
  if (filled) await sendFilledPart();
  return { id, key: toBase64Url(key), digest: toBase64Url(digest) };
}

/** chat.attachments.create, tried again while there is no connection. */
async function beginUpload(options: UploadOptions, total: number): Promise<{ id: string; maxPartBytes: number }> {
  for (let tries = 1; ; tries++) {
    try {
      return await options.client.chat.attachments.create.mutate(
        {
          size: total,
          recipientDeviceRowIds: options.recipientDeviceRowIds,
          ...(options.expiresInSeconds !== undefined && { expiresInSeconds: options.expiresInSeconds }),
        },
        { signal: options.signal },
      );
    } catch (error) {
      if (options.signal.aborted) throw new ChatEngineError("chat_attachment_cancelled");
      const { appCode, network } = serverErrorOf(error);
      if (appCode === "QUOTA_EXCEEDED") throw new ChatEngineError("chat_attachment_quota", { cause: error });
      if (appCode === "MEDIA_TOO_LARGE") throw new ChatEngineError("chat_attachment_too_large", { cause: error });
      if (!network || tries >= MAX_TRANSFER_TRIES) throw toEngineError(error);
      await waitToRetry(tries + 1, options.retry, options.signal);
    }
  }
}

/** Sends one part until the server has counted it. */
async function sendPart(options: {
  id: string;
  offset: number;
  part: Uint8Array;
  total: number;
  transport: AttachmentTransport;
  signal: AbortSignal;
  retry: RetryPolicy;
  onProgress(sent: number, total: number): void;
}): Promise<void> {
  const { id, offset, part, total, transport, signal, onProgress } = options;
  const end = offset + part.length;
  for (let tries = 1; ; tries++) {
    let stands: number | null = null;
    try {
      const next = await transport.append(id, offset, part, { signal, onProgress: (sent) => onProgress(offset + sent, total) });
      if (next !== end) throw new ChatEngineError("chat_attachment_failed");
      onProgress(end, total);
      return;
    } catch (error) {
      const failure = failureOf(error, signal);
      if (failure === "offset-mismatch") stands = (error as AttachmentTransportError).offset;
      else if (failure === "unavailable") {
        if (tries >= MAX_TRANSFER_TRIES) throw new ChatEngineError("chat_offline", { cause: error });
        await waitToRetry(tries + 1, options.retry, signal);
        // Where the server stands; when that too fails, the part goes again and a 409 tells.
        stands = await transport
          .offset(id, signal)
          .catch((headError: unknown) => (failureOf(headError, signal) === "unavailable" ? null : Promise.reject(headError)));
      } else throw error;
    }
    if (stands === end) {
      // Stored: only the answer was lost.
      onProgress(end, total);
      return;
    }
    // The server holds something other than what was sent before this part: it cannot be made again (the key's stream has moved on).
    if (stands !== null && stands !== offset) throw new ChatEngineError("chat_attachment_failed");
  }
}

/** What a failed request means here; anything final is thrown as the engine's error. */
function failureOf(error: unknown, signal: AbortSignal): "offset-mismatch" | "unavailable" {
  if (signal.aborted) throw new ChatEngineError("chat_attachment_cancelled", { cause: error });
  if (!(error instanceof AttachmentTransportError)) throw error;
  switch (error.failure) {
    case "offset-mismatch":
    case "unavailable":
      return error.failure;
    case "aborted":
      throw new ChatEngineError("chat_attachment_cancelled", { cause: error });
    case "gone":
    case "refused":
      throw new ChatEngineError("chat_attachment_failed", { cause: error });
  }
}
