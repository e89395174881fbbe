/**
 * Encrypts an attachment as a stream, in memory bounded by one chunk plus what the caller passes
 * in: a fresh key per attachment, the plaintext padded with zeros to its bucket
 * (`attachment-size.ts`), cut into chunks of 64 KiB, each one crypto_secretstream_xchacha20poly1305
 * message, the last tagged FINAL. Ciphertext = secretstream header (24) ‖ chunks. The SHA-256 of
 * the whole ciphertext, the key and the real size travel in the end-to-end encrypted message.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { wipe } from "../bytes";
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";
import { sodium, type Sodium } from "../sodium";
import { ATTACHMENT_CHUNK_BYTES, ATTACHMENT_KEY_BYTES, attachmentChunkCount, isValidAttachmentSize, paddedAttachmentSize } from "./attachment-size";

type StreamState = ReturnType<Sodium["crypto_secretstream_xchacha20poly1305_init_pull"]>;

/** A fresh attachment key, straight from the random source. */
export function createAttachmentKey(random: RandomSource): Uint8Array {
  return random(ATTACHMENT_KEY_BYTES);
}

/** Joins the pieces of one call's output (usually zero or one, so usually no copy). */
export function joinPieces(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  return pieces.length === 0 ? new Uint8Array(0) : concatBytes(...pieces);
}

export class AttachmentEncryptor {
  private readonly sodium: Sodium;
  private readonly state: StreamState;
  private header: Uint8Array | null;
  private readonly size: number;
  private readonly chunkCount: number;
  private readonly lastChunkBytes: number;
  /** The chunk being filled; whole chunks of the input are sealed straight from it. */
  private readonly chunk = new Uint8Array(ATTACHMENT_CHUNK_BYTES);
  private filled = 0;
  private sealedChunks = 0;
  private received = 0;
  private readonly hash = sha256.create();
  private finished = false;

  /**
   * @param options.key 32 bytes from `createAttachmentKey`, used for this attachment only.
   * @param options.size the plaintext's length in bytes, declared in advance (it fixes the padding).
   * @throws {CryptoError} `InvalidKey` for a key that is not 32 bytes.
   * @throws {RangeError} for a size that is not an integer in [0, MAX_ATTACHMENT_BYTES].
   */
  constructor(options: { key: Uint8Array; size: number }) {
    if (options.key.length !== ATTACHMENT_KEY_BYTES) throw new CryptoError("InvalidKey", "an attachment key is 32 bytes");
    if (!isValidAttachmentSize(options.size)) throw new RangeError("attachment size out of range");
    this.sodium = sodium();
    const { state, header } = this.sodium.crypto_secretstream_xchacha20poly1305_init_push(options.key);
    this.state = state;
    this.header = header;
    this.size = options.size;
    this.chunkCount = attachmentChunkCount(options.size);
    this.lastChunkBytes = paddedAttachmentSize(options.size) - (this.chunkCount - 1) * ATTACHMENT_CHUNK_BYTES;
  }

  /**
   * Takes the next plaintext bytes (split anywhere) and returns the ciphertext of every chunk
   * completed so far: the header first on the first call, then whole chunks; often empty. The
   * last chunk waits for `finish`.
   * @throws {RangeError} when the bytes pushed exceed the declared size.
   */
  push(plaintext: Uint8Array): Uint8Array {
    this.assertOpen();
    if (this.received + plaintext.length > this.size) {
      this.finished = true;
      throw new RangeError(`more plaintext than the declared ${this.size} bytes`);
    }
    this.received += plaintext.length;
    const out = this.takeHeader();
    let offset = 0;
    while (offset < plaintext.length) {
      const used = Math.min(ATTACHMENT_CHUNK_BYTES - this.filled, plaintext.length - offset);
      // A whole chunk in the input goes to libsodium as it is (libsodium.js copies it anyway).
      const whole = this.filled === 0 && used === ATTACHMENT_CHUNK_BYTES && !this.isLastChunk();
      if (whole) {
        out.push(this.seal(plaintext.subarray(offset, offset + used), false));
      } else {
        this.chunk.set(plaintext.subarray(offset, offset + used), this.filled);
        this.filled += used;
        if (this.filled === ATTACHMENT_CHUNK_BYTES && !this.isLastChunk()) out.push(this.seal(this.chunk, false));
      }
      offset += used;
    }
    return this.emit(out);
  }

  /**
   * Pads, seals the last chunk (tagged FINAL) and returns the rest of the ciphertext with the
   * SHA-256 digest of the whole of it. The tail holds the padding: under 5% of the size, plus
   * at most one chunk.
   * @throws {RangeError} when the bytes pushed differ from the declared size.
   */
  finish(): { tail: Uint8Array; digest: Uint8Array } {
    this.assertOpen();
    this.finished = true;
    if (this.received !== this.size) throw new RangeError(`${this.received} bytes pushed, ${this.size} declared`);
    const out = this.takeHeader();
    while (!this.isLastChunk()) {
      this.chunk.fill(0, this.filled);
      out.push(this.seal(this.chunk, false));
    }
    this.chunk.fill(0, this.filled, this.lastChunkBytes);
    out.push(this.seal(this.chunk.subarray(0, this.lastChunkBytes), true));
    wipe(this.chunk);
    const tail = this.emit(out);
    return { tail, digest: this.hash.digest() };
  }

  private assertOpen(): void {
    if (this.finished) throw new Error("AttachmentEncryptor used after finish() or an error");
  }

  private isLastChunk(): boolean {
    return this.sealedChunks === this.chunkCount - 1;
  }

  private takeHeader(): Uint8Array[] {
    const header = this.header;
    this.header = null;
    return header ? [header] : [];
  }

  private seal(plaintext: Uint8Array, final: boolean): Uint8Array {
    const s = this.sodium;
    const tag = final ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const ciphertext = s.crypto_secretstream_xchacha20poly1305_push(this.state, plaintext, null, tag);
    this.sealedChunks++;
    this.filled = 0;
    return ciphertext;
  }

  private emit(pieces: readonly Uint8Array[]): Uint8Array {
    for (const piece of pieces) this.hash.update(piece);
    return joinPieces(pieces);
  }
}
