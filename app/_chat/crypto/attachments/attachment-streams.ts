/**
 * Web-streams adapters over `AttachmentEncryptor` and `AttachmentDecryptor`, for a File's stream
 * into an upload and a download's body into storage, with the streams' backpressure.
 */
import type { AttachmentDecryptor } from "./attachment-decryptor";
import { AttachmentEncryptor } from "./attachment-encryptor";

/**
 * The ciphertext of `source` (exactly `options.size` bytes), as a stream; `done` resolves with
 * the digest once the stream has delivered its last bytes, and rejects if it fails.
 * @throws {CryptoError} `InvalidKey`; {RangeError} for a size out of range. The stream errors
 *   (and `done` rejects) with a RangeError when the source's length differs from the size, or
 *   with the source's own error.
 */
export function encryptAttachmentStream(
  source: ReadableStream<Uint8Array>,
  options: { key: Uint8Array; size: number },
): { stream: ReadableStream<Uint8Array>; done: Promise<{ digest: Uint8Array }> } {
  const encryptor = new AttachmentEncryptor(options);
  let settle!: { resolve: (value: { digest: Uint8Array }) => void; reject: (reason: unknown) => void };
  const done = new Promise<{ digest: Uint8Array }>((resolve, reject) => (settle = { resolve, reject }));
  // A caller that reads the stream learns of a failure there; this keeps `done` from being an unhandled rejection.
  done.catch(() => undefined);
  const reader = source.getReader();
  const stream = new ReadableStream<Uint8Array>({
    // Reads until there is something to enqueue: a pull that enqueues nothing is not called again.
    async pull(controller) {
      try {
        for (;;) {
          const next = await reader.read();
          if (next.done) {
            const { tail, digest } = encryptor.finish();
            controller.enqueue(tail);
            controller.close();
            settle.resolve({ digest });
            return;
          }
          const ciphertext = encryptor.push(next.value);
          if (ciphertext.length > 0) {
            controller.enqueue(ciphertext);
            return;
          }
        }
      } catch (error) {
        settle.reject(error);
        await reader.cancel(error).catch(() => undefined);
        throw error;
      }
    },
    async cancel(reason) {
      settle.reject(reason);
      await reader.cancel(reason);
    },
  });
  return { stream, done };
}

/**
 * A transform that decrypts one download's body into `decryptor`. For a download that resumes
 * with an HTTP Range from `decryptor.consumed`, pipe each response through a new transform over
 * the same decryptor. Its end calls `finish`, so a body that ends early errors the stream with
 * `AttachmentTruncated` and the decryptor stays ready for the rest.
 */
export function decryptAttachmentStream(decryptor: AttachmentDecryptor): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(ciphertext, controller) {
      const plaintext = decryptor.push(ciphertext);
      if (plaintext.length > 0) controller.enqueue(plaintext);
    },
    flush() {
      decryptor.finish();
    },
  });
}
