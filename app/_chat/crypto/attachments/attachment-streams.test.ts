import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CryptoError } from "../errors";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { AttachmentDecryptor } from "./attachment-decryptor";
import { createAttachmentKey } from "./attachment-encryptor";
import { encryptedAttachmentSize } from "./attachment-size";
import { decryptAttachmentStream, encryptAttachmentStream } from "./attachment-streams";

beforeAll(loadCryptoCore);

const random = createDeterministicRandom("attachment streams");

/** A stream of `bytes` in pieces of `pieceBytes`, as a File's stream or a response body gives them. */
function streamOf(bytes: Uint8Array, pieceBytes: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

describe("attachment streams", () => {
  const plaintext = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 13 + 1) & 0xff);

  it("encrypt a source stream and decrypt a download body back to it, the digest once the stream has ended", async () => {
    const key = createAttachmentKey(random);
    const { stream, done } = encryptAttachmentStream(streamOf(plaintext, 10_000), { key, size: plaintext.length });
    const ciphertext = await collect(stream);
    const { digest } = await done;
    expect(ciphertext.length).toBe(encryptedAttachmentSize(plaintext.length));
    expect(digest).toEqual(new Uint8Array(createHash("sha256").update(ciphertext).digest()));
    const decryptor = new AttachmentDecryptor({ key, size: plaintext.length, digest });
    expect(await collect(streamOf(ciphertext, 7_777).pipeThrough(decryptAttachmentStream(decryptor)))).toEqual(plaintext);
  });

  it("fail, and reject `done`, when the source is longer than the declared size", async () => {
    const { stream, done } = encryptAttachmentStream(streamOf(plaintext, 50_000), { key: createAttachmentKey(random), size: plaintext.length - 1 });
    await expect(collect(stream)).rejects.toThrow(RangeError);
    await expect(done).rejects.toThrow(RangeError);
  });

  it("a body that ends early fails with AttachmentTruncated; the next response, from `consumed`, completes it", async () => {
    const key = createAttachmentKey(random);
    const { stream, done } = encryptAttachmentStream(streamOf(plaintext, 65_536), { key, size: plaintext.length });
    const ciphertext = await collect(stream);
    const decryptor = new AttachmentDecryptor({ key, size: plaintext.length, digest: (await done).digest });
    const parts: Uint8Array[] = [];
    const keep = new WritableStream<Uint8Array>({ write: (part) => void parts.push(part) });
    const firstBody = streamOf(ciphertext.subarray(0, 100_001), 30_000);
    const failure = await firstBody
      .pipeThrough(decryptAttachmentStream(decryptor))
      .pipeTo(keep)
      .catch((error: unknown) => error);
    expect(failure instanceof CryptoError && failure.code).toBe("AttachmentTruncated");
    expect(decryptor.consumed).toBe(100_001);
    await streamOf(ciphertext.subarray(decryptor.consumed), 30_000)
      .pipeThrough(decryptAttachmentStream(decryptor))
      .pipeTo(new WritableStream({ write: (part) => void parts.push(part) }));
    expect(Uint8Array.from(parts.flatMap((part) => [...part]))).toEqual(plaintext);
  });
});
