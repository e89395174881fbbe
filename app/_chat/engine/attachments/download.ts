// Downloading one file: the ciphertext streams through an AttachmentDecryptor, whose plaintext goes
// to the caller's writer chunk by chunk as each authenticates. After a dropped connection (or a
// body that ended early) it waits (transfer-retry.ts) and asks again with Range from
// decryptor.consumed, into the same decryptor, so nothing is fetched twice. The decryptor refuses
// a chunk that does not authenticate and, before the last plaintext leaves, a digest that differs:
// the caller then deletes what it wrote.
import { AttachmentDecryptor, encryptedAttachmentSize, isCryptoError } from "../../crypto";
import { fromBase64Url } from "@/app/_shared/isomorphic/base64url";
import { ChatEngineError } from "../chat-engine-error";
import { AttachmentTransportError, type AttachmentTransport } from "./attachment-transport";
import { MAX_TRANSFER_TRIES, waitToRetry, type RetryPolicy } from "./transfer-retry";

export interface DownloadOptions {
  transport: AttachmentTransport;
  blob: { id: string; key: string; digest: string };
  /** Plaintext bytes, as the message said. */
  size: number;
  deviceRowId: string;
  signal: AbortSignal;
  retry: RetryPolicy;
  /** Takes each piece of plaintext, in order. */
  write(plaintext: Uint8Array): Promise<void>;
  /** Ciphertext bytes received so far, of `total`. */
  onProgress(received: number, total: number): void;
}

/**
 * @throws ChatEngineError chat_attachment_failed (it does not decrypt, or the message's key, size or
 *   digest is malformed), chat_attachment_gone (the server no longer has it for this device),
 *   chat_attachment_cancelled, chat_offline (no progress in MAX_TRANSFER_TRIES tries)
 */
export async function downloadAttachmentBlob(options: DownloadOptions): Promise<void> {
  const { transport, blob, signal } = options;
  let decryptor: AttachmentDecryptor;
  try {
    decryptor = new AttachmentDecryptor({ key: fromBase64Url(blob.key), size: options.size, digest: fromBase64Url(blob.digest) });
  } catch (error) {
    throw new ChatEngineError("chat_attachment_failed", { cause: error });
  }
  const total = encryptedAttachmentSize(options.size);
  options.onProgress(0, total);
  for (let tries = 1; ; tries++) {
    const before = decryptor.consumed;
    try {
      const reader = (await transport.download(blob.id, options.deviceRowId, decryptor.consumed, signal)).getReader();
      try {
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          const plaintext = decryptor.push(next.value);
          if (plaintext.length) await options.write(plaintext);
          options.onProgress(decryptor.consumed, total);
        }
      } catch (error) {
        await reader.cancel(error).catch(() => undefined);
        throw error;
      }
      decryptor.finish();
      return;
    } catch (error) {
      if (isCryptoError(error, "InvalidAttachment")) throw new ChatEngineError("chat_attachment_failed", { cause: error });
      if (signal.aborted) throw new ChatEngineError("chat_attachment_cancelled", { cause: error });
      if (error instanceof AttachmentTransportError) {
        if (error.failure === "gone") throw new ChatEngineError("chat_attachment_gone", { cause: error });
        if (error.failure === "refused") throw new ChatEngineError("chat_attachment_failed", { cause: error });
        if (error.failure === "aborted") throw new ChatEngineError("chat_attachment_cancelled", { cause: error });
        // A body that broke off is a TypeError in browsers; one that ended early, AttachmentTruncated.
      } else if (!(error instanceof TypeError) && !isCryptoError(error, "AttachmentTruncated")) throw error;
      if (decryptor.consumed > before) tries = 1;
      if (tries >= MAX_TRANSFER_TRIES) throw new ChatEngineError("chat_offline", { cause: error });
      await waitToRetry(tries + 1, options.retry, signal);
    }
  }
}
