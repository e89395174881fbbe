import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";
import { loadCryptoCore, sodium } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { AttachmentDecryptor } from "./attachment-decryptor";
import { AttachmentEncryptor, createAttachmentKey } from "./attachment-encryptor";
import { ATTACHMENT_CHUNK_BYTES as CHUNK, encryptedAttachmentSize, paddedAttachmentSize } from "./attachment-size";

beforeAll(loadCryptoCore);

const HEADER = 24;
const CIPHER_CHUNK = CHUNK + 17;
const random = createDeterministicRandom("attachments");

/** Plaintext with no zero bytes, so that padding can never pass for content. */
function plaintextOf(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => 1 + ((i * 151 + (i >>> 11) * 7) % 255));
}

/** `bytes` cut at arbitrary points (empty pieces included), from a fixed random source. */
function pieces(bytes: Uint8Array, source: RandomSource, maxPiece = 3 * CHUNK): Uint8Array[] {
  const out: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const draw = source(4);
    const length = ((draw[0]! << 16) | (draw[1]! << 8) | draw[2]!) % (draw[3]! < 32 ? 40 : maxPiece);
    out.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return out;
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

interface Encrypted {
  key: Uint8Array;
  size: number;
  ciphertext: Uint8Array;
  digest: Uint8Array;
}

function encrypt(plaintext: Uint8Array, options: { key?: Uint8Array; split?: RandomSource } = {}): Encrypted {
  const key = options.key ?? createAttachmentKey(random);
  const encryptor = new AttachmentEncryptor({ key, size: plaintext.length });
  const out = (options.split ? pieces(plaintext, options.split) : [plaintext]).map((piece) => encryptor.push(piece));
  const { tail, digest } = encryptor.finish();
  return { key, size: plaintext.length, ciphertext: join([...out, tail]), digest };
}

function decrypt(encrypted: Encrypted, parts: readonly Uint8Array[] = [encrypted.ciphertext]): Uint8Array {
  const decryptor = new AttachmentDecryptor(encrypted);
  const out = parts.map((part) => decryptor.push(part));
  decryptor.finish();
  return join(out);
}

/** The code of the CryptoError that `run` throws. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  throw new Error("not refused");
}

/** The ciphertext's chunks (header apart), as the secretstream cut them. */
function chunkAt(ciphertext: Uint8Array, index: number): Uint8Array {
  return ciphertext.subarray(HEADER + index * CIPHER_CHUNK, HEADER + (index + 1) * CIPHER_CHUNK);
}

/** -1 when `a` and `b` hold the same bytes, else the first offset where they differ (toEqual is slow on megabytes). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(needle);
}

describe("attachment encryption", () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3_000_000])("round-trips %i bytes, both sides split at arbitrary points", (size) => {
    const plaintext = plaintextOf(size);
    const encrypted = encrypt(plaintext, { split: createDeterministicRandom(`split ${size}`) });
    expect(encrypted.ciphertext.length).toBe(encryptedAttachmentSize(size));
    expect(encrypted.digest).toEqual(new Uint8Array(createHash("sha256").update(encrypted.ciphertext).digest()));
    const opened = decrypt(encrypted, pieces(encrypted.ciphertext, createDeterministicRandom(`cut ${size}`)));
    expect(firstDifference(opened, plaintext)).toBe(-1);
  });

  it("streams: each push returns the chunks it completed, the header first, and never holds more than one chunk", () => {
    const size = 5 * CHUNK + 100;
    const plaintext = plaintextOf(size);
    const encryptor = new AttachmentEncryptor({ key: createAttachmentKey(random), size });
    expect(encryptor.push(plaintext.subarray(0, 10)).length).toBe(HEADER);
    expect(encryptor.push(plaintext.subarray(10, CHUNK - 1)).length).toBe(0);
    expect(encryptor.push(plaintext.subarray(CHUNK - 1, CHUNK + 5)).length).toBe(CIPHER_CHUNK);
    expect(encryptor.push(plaintext.subarray(CHUNK + 5, 4 * CHUNK)).length).toBe(3 * CIPHER_CHUNK);
    expect(encryptor.push(plaintext.subarray(4 * CHUNK)).length).toBe(CIPHER_CHUNK);
    const { tail } = encryptor.finish();
    expect(tail.length).toBe(paddedAttachmentSize(size) - 5 * CHUNK + 17);
  });

  it("shows the server only the size bucket: the padding is encrypted, and sizes in one bucket look alike", () => {
    expect(paddedAttachmentSize(1001)).toBe(paddedAttachmentSize(1019));
    const a = encrypt(plaintextOf(1001));
    const b = encrypt(plaintextOf(1019));
    expect(a.ciphertext.length).toBe(b.ciphertext.length);
    expect(a.ciphertext.length).toBe(HEADER + 1020 + 17);
    expect(decrypt(a)).toEqual(plaintextOf(1001));
  });

  it("leaves no run of the plaintext or of the padding in the ciphertext", () => {
    const text = new TextEncoder().encode("Hearth attachment, in the clear. ".repeat(10_000));
    const size = paddedAttachmentSize(text.length) + 1; // the next bucket: about 5% of padding
    const plaintext = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += text.length) plaintext.set(text.subarray(0, size - offset), offset);
    const { ciphertext } = encrypt(plaintext);
    expect(paddedAttachmentSize(size) - size).toBeGreaterThan(10_000);
    for (let start = 0; start < 33; start++) expect(indexOf(ciphertext, text.subarray(start, start + 8))).toBe(-1);
    expect(indexOf(ciphertext, new Uint8Array(8))).toBe(-1);
  });

  it("makes a 32-byte key per attachment from the random source, and another key gives another ciphertext", () => {
    const first = createAttachmentKey(createDeterministicRandom("key"));
    expect(first).toEqual(createDeterministicRandom("key")(32));
    const plaintext = plaintextOf(CHUNK + 1);
    const a = encrypt(plaintext);
    const b = encrypt(plaintext);
    expect(a.key).not.toEqual(b.key);
    expect(indexOf(b.ciphertext, a.ciphertext.subarray(HEADER, HEADER + 16))).toBe(-1);
  });

  it("refuses a key that is not 32 bytes, a size out of range, and pushed bytes that differ from the size", () => {
    expect(refusal(() => new AttachmentEncryptor({ key: new Uint8Array(31), size: 1 }))).toBe("InvalidKey");
    const key = createAttachmentKey(random);
    expect(() => new AttachmentEncryptor({ key, size: -1 })).toThrow(RangeError);
    const tooMuch = new AttachmentEncryptor({ key, size: 10 });
    expect(() => tooMuch.push(new Uint8Array(11))).toThrow(RangeError);
    expect(() => tooMuch.finish()).toThrow();
    const tooLittle = new AttachmentEncryptor({ key, size: 10 });
    tooLittle.push(new Uint8Array(9));
    expect(() => tooLittle.finish()).toThrow(RangeError);
  });
});

describe("attachment decryption refuses", () => {
  const plaintext = plaintextOf(3 * CHUNK + 500);
  let encrypted: Encrypted;
  let chunks: Uint8Array[];
  let header: Uint8Array;
  beforeAll(() => {
    encrypted = encrypt(plaintext);
    chunks = [0, 1, 2, 3].map((index) => chunkAt(encrypted.ciphertext, index));
    header = encrypted.ciphertext.subarray(0, HEADER);
  });

  it("a flipped bit in any chunk or in the header, at once, after returning only the chunks before it", () => {
    for (const [index, position] of [
      [0, 5],
      [1, CHUNK],
      [2, CIPHER_CHUNK - 1],
      [3, 0],
    ] as const) {
      const tampered = encrypted.ciphertext.slice();
      tampered[HEADER + index * CIPHER_CHUNK + position]! ^= 0x01;
      const decryptor = new AttachmentDecryptor(encrypted);
      expect(decryptor.push(header).length).toBe(0);
      for (let before = 0; before < index; before++) {
        expect(firstDifference(decryptor.push(chunkAt(tampered, before)), plaintext.subarray(before * CHUNK, (before + 1) * CHUNK))).toBe(-1);
      }
      expect(refusal(() => decryptor.push(tampered.subarray(HEADER + index * CIPHER_CHUNK)))).toBe("InvalidAttachment");
      expect(refusal(() => decryptor.push(new Uint8Array(0)))).toBe("InvalidAttachment");
      expect(refusal(() => decryptor.finish())).toBe("InvalidAttachment");
    }
    const badHeader = encrypted.ciphertext.slice();
    badHeader[3]! ^= 0x80;
    expect(refusal(() => decrypt({ ...encrypted, ciphertext: badHeader }))).toBe("InvalidAttachment");
  });

  it("a stream without its final chunk, or cut inside a chunk, when it is finished", () => {
    for (const cut of [encrypted.ciphertext.length - chunks[3]!.length, HEADER + CIPHER_CHUNK + 1000, HEADER, 10, 0]) {
      const decryptor = new AttachmentDecryptor(encrypted);
      decryptor.push(encrypted.ciphertext.subarray(0, cut));
      expect(refusal(() => decryptor.finish())).toBe("AttachmentTruncated");
    }
  });

  it("two chunks in the wrong order", () => {
    const reordered = join([header, chunks[1]!, chunks[0]!, chunks[2]!, chunks[3]!]);
    expect(refusal(() => decrypt({ ...encrypted, ciphertext: reordered }))).toBe("InvalidAttachment");
  });

  it("a chunk from another attachment of the same size (another key), and that attachment under this key", () => {
    const other = encrypt(plaintext);
    expect(other.ciphertext.length).toBe(encrypted.ciphertext.length);
    const swapped = join([header, chunks[0]!, chunkAt(other.ciphertext, 1), chunks[2]!, chunks[3]!]);
    expect(refusal(() => decrypt({ ...encrypted, ciphertext: swapped }))).toBe("InvalidAttachment");
    expect(refusal(() => decrypt({ ...other, key: encrypted.key }))).toBe("InvalidAttachment");
  });

  it("a digest that differs, before the last chunk's plaintext is returned", () => {
    const digest = encrypted.digest.slice();
    digest[31]! ^= 0x01;
    const decryptor = new AttachmentDecryptor({ ...encrypted, digest });
    expect(decryptor.push(encrypted.ciphertext.subarray(0, HEADER + 3 * CIPHER_CHUNK)).length).toBe(3 * CHUNK);
    expect(refusal(() => decryptor.push(chunks[3]!))).toBe("InvalidAttachment");
  });

  it("any byte after the end", () => {
    const decryptor = new AttachmentDecryptor(encrypted);
    expect(firstDifference(decryptor.push(encrypted.ciphertext), plaintext)).toBe(-1);
    expect(decryptor.push(new Uint8Array(0)).length).toBe(0);
    decryptor.finish();
    expect(refusal(() => decryptor.push(new Uint8Array(1)))).toBe("InvalidAttachment");
    expect(refusal(() => decryptor.finish())).toBe("InvalidAttachment");
    expect(refusal(() => decrypt({ ...encrypted, ciphertext: join([encrypted.ciphertext, new Uint8Array(1)]) }))).toBe("InvalidAttachment");
  });

  it("a size other than the one encrypted: content in the padding, or another bucket", () => {
    expect(paddedAttachmentSize(plaintext.length - 1)).toBe(paddedAttachmentSize(plaintext.length));
    expect(refusal(() => decrypt({ ...encrypted, size: plaintext.length - 1 }))).toBe("InvalidAttachment");
    for (const size of [CHUNK, 5 * CHUNK]) expect(refusal(() => decrypt({ ...encrypted, size }))).toMatch(/InvalidAttachment|AttachmentTruncated/);
  });

  it("a stream whose FINAL tag is missing or early (made with the same key, so every chunk authenticates)", () => {
    const s = sodium();
    const { MESSAGE, FINAL } = { MESSAGE: s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, FINAL: s.crypto_secretstream_xchacha20poly1305_TAG_FINAL };
    const padded = new Uint8Array(paddedAttachmentSize(plaintext.length));
    padded.set(plaintext);
    for (const tags of [
      [MESSAGE, MESSAGE, MESSAGE, MESSAGE],
      [MESSAGE, FINAL, MESSAGE, FINAL],
    ]) {
      const { state, header: streamHeader } = s.crypto_secretstream_xchacha20poly1305_init_push(encrypted.key);
      const body = tags.map((tag, index) =>
        s.crypto_secretstream_xchacha20poly1305_push(state, padded.subarray(index * CHUNK, (index + 1) * CHUNK), null, tag),
      );
      const ciphertext = join([streamHeader, ...body]);
      const digest = new Uint8Array(createHash("sha256").update(ciphertext).digest());
      expect(refusal(() => decrypt({ ...encrypted, ciphertext, digest }))).toBe("InvalidAttachment");
    }
  });

  it("a malformed pointer: a key or digest of the wrong length, a size out of range", () => {
    expect(refusal(() => new AttachmentDecryptor({ ...encrypted, key: new Uint8Array(16) }))).toBe("InvalidKey");
    expect(refusal(() => new AttachmentDecryptor({ ...encrypted, digest: new Uint8Array(31) }))).toBe("InvalidAttachment");
    expect(refusal(() => new AttachmentDecryptor({ ...encrypted, size: 100 * 1024 * 1024 + 1 }))).toBe("InvalidAttachment");
  });
});

describe("attachment download resumption", () => {
  it("continues from `consumed` after a dropped download, with the same decryptor, to the same plaintext", () => {
    const plaintext = plaintextOf(1_000_000);
    const encrypted = encrypt(plaintext);
    const decryptor = new AttachmentDecryptor(encrypted);
    const dropAt = Math.floor(encrypted.ciphertext.length / 2) + 123; // inside a chunk
    const first = pieces(encrypted.ciphertext.subarray(0, dropAt), createDeterministicRandom("first response")).map((part) => decryptor.push(part));
    expect(decryptor.consumed).toBe(dropAt);
    expect(refusal(() => decryptor.finish())).toBe("AttachmentTruncated");
    // The second response is `Range: bytes=${consumed}-`.
    const rest = encrypted.ciphertext.subarray(decryptor.consumed);
    const second = pieces(rest, createDeterministicRandom("second response")).map((part) => decryptor.push(part));
    decryptor.finish();
    expect(decryptor.consumed).toBe(encrypted.ciphertext.length);
    expect(firstDifference(join([...first, ...second]), plaintext)).toBe(-1);
  });
});
