/**
 * Decrypts an attachment as a stream (format in `attachment-encryptor.ts`), in memory bounded by
 * one chunk plus what the caller passes in. The key, size and digest come from the message that
 * carried the attachment, so the decryptor knows the exact length and number of chunks in
 * advance: it refuses at once a chunk that does not authenticate, a FINAL tag anywhere but on
 * the last chunk, padding that is not zeros, any byte beyond the expected length, and (when the
 * last chunk arrives, before its plaintext is returned) a digest that differs. Plaintext comes out
 * chunk by chunk as each authenticates; the caller keeps it aside until `finish` succeeds.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesEqual, isAllZero, wipe } from "../bytes";
import { CryptoError, type CryptoErrorCode } from "../errors";
import { sodium, type Sodium } from "../sodium";
import {
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_DIGEST_BYTES,
  ATTACHMENT_KEY_BYTES,
  attachmentChunkCount,
  encryptedAttachmentSize,
  isValidAttachmentSize,
  paddedAttachmentSize,
  STREAM_CHUNK_OVERHEAD_BYTES,
  STREAM_HEADER_BYTES,
} from "./attachment-size";
import { joinPieces } from "./attachment-encryptor";

type StreamState = ReturnType<Sodium["crypto_secretstream_xchacha20poly1305_init_pull"]>;

const CIPHER_CHUNK_BYTES = ATTACHMENT_CHUNK_BYTES + STREAM_CHUNK_OVERHEAD_BYTES;

export class AttachmentDecryptor {
  private readonly sodium: Sodium;
  /** Kept until the header arrives, then wiped. */
  private readonly key: Uint8Array;
  private state: StreamState | null = null;
  private readonly size: number;
  private readonly expectedDigest: Uint8Array;
  private readonly totalBytes: number;
  private readonly chunkCount: number;
  private readonly lastCipherChunkBytes: number;
  /** The header or chunk being gathered. */
  private readonly buffer = new Uint8Array(CIPHER_CHUNK_BYTES);
  private filled = 0;
  private openedChunks = 0;
  private received = 0;
  private readonly hash = sha256.create();
  private failure: CryptoError | null = null;

  /**
   * @param options.key, options.size, options.digest as the message carried them.
   * @throws {CryptoError} `InvalidKey` for a key that is not 32 bytes; `InvalidAttachment` for a
   *   size out of range or a digest that is not 32 bytes.
   */
  constructor(options: { key: Uint8Array; size: number; digest: Uint8Array }) {
    if (options.key.length !== ATTACHMENT_KEY_BYTES) throw new CryptoError("InvalidKey", "an attachment key is 32 bytes");
    if (!isValidAttachmentSize(options.size)) throw new CryptoError("InvalidAttachment", "attachment size out of range");
    if (options.digest.length !== ATTACHMENT_DIGEST_BYTES) throw new CryptoError("InvalidAttachment", "an attachment digest is 32 bytes");
    this.sodium = sodium();
    this.key = options.key.slice();
    this.size = options.size;
    this.expectedDigest = options.digest.slice();
    this.totalBytes = encryptedAttachmentSize(options.size);
    this.chunkCount = attachmentChunkCount(options.size);
    this.lastCipherChunkBytes = paddedAttachmentSize(options.size) - (this.chunkCount - 1) * ATTACHMENT_CHUNK_BYTES + STREAM_CHUNK_OVERHEAD_BYTES;
  }

  /** Ciphertext bytes taken so far: a download that dropped resumes (HTTP Range) from here, into this decryptor. */
  get consumed(): number {
    return this.received;
  }

  /**
   * Takes the next ciphertext bytes (split anywhere) and returns the plaintext of every chunk
   * they complete, padding removed; often empty.
   * @throws {CryptoError} `InvalidAttachment` at the first sign of a bad attachment; the
   *   decryptor then refuses everything.
   */
  push(ciphertext: Uint8Array): Uint8Array {
    if (this.failure) throw this.failure;
    if (ciphertext.length === 0) return new Uint8Array(0);
    if (this.received + ciphertext.length > this.totalBytes) this.fail("InvalidAttachment", "bytes after the end of the attachment");
    this.hash.update(ciphertext);
    this.received += ciphertext.length;
    const out: Uint8Array[] = [];
    let offset = 0;
    while (offset < ciphertext.length) {
      const wanted = this.state === null ? STREAM_HEADER_BYTES : this.isLastChunk() ? this.lastCipherChunkBytes : CIPHER_CHUNK_BYTES;
      const used = Math.min(wanted - this.filled, ciphertext.length - offset);
      this.buffer.set(ciphertext.subarray(offset, offset + used), this.filled);
      this.filled += used;
      offset += used;
      if (this.filled < wanted) break;
      this.filled = 0;
      if (this.state === null) {
        this.state = this.sodium.crypto_secretstream_xchacha20poly1305_init_pull(this.buffer.subarray(0, STREAM_HEADER_BYTES), this.key);
        wipe(this.key);
      } else {
        const plaintext = this.open(this.state, this.buffer.subarray(0, wanted));
        if (plaintext.length > 0) out.push(plaintext);
      }
    }
    return joinPieces(out);
  }

  /**
   * Checks that the whole attachment arrived.
   * @throws {CryptoError} `AttachmentTruncated` when it ended before its final chunk (the
   *   decryptor stays usable: push the rest, from `consumed`, then finish again);
   *   `InvalidAttachment` when an earlier push refused it.
   */
  finish(): void {
    if (this.failure) throw this.failure;
    if (this.openedChunks < this.chunkCount) {
      throw new CryptoError("AttachmentTruncated", `the attachment ended after ${this.received} of ${this.totalBytes} bytes`);
    }
  }

  private isLastChunk(): boolean {
    return this.openedChunks === this.chunkCount - 1;
  }

  private open(state: StreamState, chunk: Uint8Array): Uint8Array {
    const s = this.sodium;
    const last = this.isLastChunk();
    const result = s.crypto_secretstream_xchacha20poly1305_pull(state, chunk, null);
    if (!result) this.fail("InvalidAttachment", `chunk ${this.openedChunks} does not authenticate`);
    if (result.tag !== (last ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)) {
      this.fail("InvalidAttachment", last ? "the last chunk is not tagged final" : `chunk ${this.openedChunks} is tagged final before the end`);
    }
    // The last chunk completes the ciphertext (no byte beyond it was accepted): check the digest before its plaintext leaves.
    if (last && !bytesEqual(this.hash.digest(), this.expectedDigest)) this.fail("InvalidAttachment", "the digest differs");
    const contentEnd = Math.max(0, Math.min(result.message.length, this.size - this.openedChunks * ATTACHMENT_CHUNK_BYTES));
    if (!isAllZero(result.message.subarray(contentEnd))) this.fail("InvalidAttachment", "padding that is not zeros");
    this.openedChunks++;
    if (last) wipe(this.buffer);
    return result.message.subarray(0, contentEnd);
  }

  private fail(code: CryptoErrorCode, message: string): never {
    this.failure = new CryptoError(code, message);
    wipe(this.buffer, this.key);
    throw this.failure;
  }
}
