// Local copies of files in the chat storage (sealed like every record): pieces of about 1 MiB, so
// a file is never held whole to be written, and a copy read back is a Blob of its pieces.
import type { ChatStorage } from "../../storage";

/** Bytes gathered into one stored piece. */
export const LOCAL_PIECE_BYTES = 1024 * 1024;

/** Writes a local copy piece by piece, as its bytes come (a download's plaintext). */
export class LocalFileWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private index = 0;

  constructor(
    private readonly storage: ChatStorage,
    readonly attachmentId: string,
  ) {}

  async push(bytes: Uint8Array): Promise<void> {
    if (!bytes.length) return;
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= LOCAL_PIECE_BYTES) await this.flush();
  }

  /** Stores what is still gathered. */
  async finish(): Promise<void> {
    await this.flush();
  }

  /** Deletes whatever was written (a download that failed leaves nothing). */
  async abort(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    await this.storage.deleteAttachmentChunks(this.attachmentId);
  }

  private async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const piece = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const part of this.pending) {
      piece.set(part, at);
      at += part.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    await this.storage.putAttachmentChunk(this.attachmentId, this.index++, piece);
  }
}

/** Keeps `blob` as the local copy of `attachmentId` (replacing any), reading it a piece at a time. */
export async function writeLocalFile(storage: ChatStorage, attachmentId: string, blob: Blob): Promise<void> {
  await storage.deleteAttachmentChunks(attachmentId);
  const writer = new LocalFileWriter(storage, attachmentId);
  try {
    for (let at = 0; at < blob.size; at += LOCAL_PIECE_BYTES) await writer.push(new Uint8Array(await blob.slice(at, at + LOCAL_PIECE_BYTES).arrayBuffer()));
    await writer.finish();
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}

/** The local copy as a Blob of `type`; null when there is none, or not all of it (`size` bytes). */
export async function readLocalFile(storage: ChatStorage, attachmentId: string, size: number, type: string): Promise<Blob | null> {
  const pieces: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  for await (const piece of storage.readAttachmentChunks(attachmentId)) {
    pieces.push(piece as Uint8Array<ArrayBuffer>);
    total += piece.length;
  }
  return total === size && (pieces.length > 0 || size === 0) ? new Blob(pieces, { type }) : null;
}
