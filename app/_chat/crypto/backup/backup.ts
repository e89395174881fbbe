/**
 * Encrypted backups of key material and message history, of any size, as a stream:
 *
 *   master    = Argon2id(password, salt 16, opsLimit, memLimit) → 32 bytes   (libsodium sumo)
 *   streamKey = HKDF-SHA-256(master, info "Hearth_Backup_Stream_v1", 32)
 *   keyCheck  = HKDF-SHA-256(master, info "Hearth_Backup_KeyCheck_v1", 16)
 *   header    = "HBAK" ‖ 0x01 version ‖ 0x01 Argon2id13 ‖ opsLimit u32 ‖ memLimit u32 ‖ salt 16 ‖
 *               secret kind u8 (1 recovery key, 2 passphrase) ‖ chunk size u32 ‖ keyCheck 16 ‖
 *               secretstream header 24                                               (75 bytes)
 *   body      = crypto_secretstream_xchacha20poly1305 chunks of `chunk size` plaintext bytes
 *               (+17), each with the header as associated data; the last one tagged FINAL.
 *
 * The password is the recovery key's 60 digits, or the passphrase (NFKC, UTF-8). Opening checks
 * the key first (`BackupWrongKey`), then every chunk (`BackupDecryptionFailed`), and that the
 * stream ends with its FINAL chunk and nothing after it (`BackupTruncated`). Chunks are yielded
 * as they authenticate: a caller restoring data must not commit it before the iteration ends
 * without an error.
 */
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { ByteReader, ByteWriter, bytesEqual, wipe } from "../bytes";
import { CryptoError } from "../errors";
import { hkdfSha256, KDF_LABELS } from "../kdf";
import type { RandomSource } from "../random";
import type { RecoveryKey } from "./recovery-key";
import { loadSodiumSumo, type SodiumSumo } from "./sodium-sumo";

export type BackupSecret = { readonly recoveryKey: RecoveryKey } | { readonly passphrase: string };

export interface BackupKdfLimits {
  readonly opsLimit: number;
  /** Bytes. */
  readonly memLimit: number;
}

/** libsodium's MODERATE limits: 3 passes over 256 MiB, ≈1.3 s in WebAssembly on the 2-core bench machine. */
export const BACKUP_KDF_PRODUCTION: BackupKdfLimits = { opsLimit: 3, memLimit: 256 * 1024 * 1024 };
/** libsodium's MIN limits: for tests only. */
export const BACKUP_KDF_MINIMUM: BackupKdfLimits = { opsLimit: 1, memLimit: 8192 };
export const BACKUP_CHUNK_BYTES = 64 * 1024;

const MAGIC = utf8ToBytes("HBAK");
const VERSION = 1;
const ALG_ARGON2ID13 = 1;
const SALT_BYTES = 16;
const KEY_CHECK_BYTES = 16;
const STREAM_HEADER_BYTES = 24;
const STREAM_ABYTES = 17;
export const BACKUP_HEADER_BYTES = 4 + 1 + 1 + 4 + 4 + SALT_BYTES + 1 + 4 + KEY_CHECK_BYTES + STREAM_HEADER_BYTES;
const SECRET_KIND = { recoveryKey: 1, passphrase: 2 } as const;
/** What a header may ask for: beyond this it is refused rather than run. */
const LIMITS = { maxOpsLimit: 10, maxMemLimit: 1024 * 1024 * 1024, maxChunkBytes: 16 * 1024 * 1024 } as const;

type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

function secretKind(secret: BackupSecret): number {
  return "recoveryKey" in secret ? SECRET_KIND.recoveryKey : SECRET_KIND.passphrase;
}

function password(secret: BackupSecret): Uint8Array {
  if ("recoveryKey" in secret) return utf8ToBytes(secret.recoveryKey.digits);
  return passphraseBytes(secret.passphrase);
}

/**
 * A passphrase as Argon2id takes it: NFKC-normalized (the same words typed on another keyboard
 * give the same bytes), UTF-8.
 * @throws {RangeError} for an empty passphrase.
 */
export function passphraseBytes(passphrase: string): Uint8Array {
  const normalized = passphrase.normalize("NFKC");
  if (normalized.length === 0) throw new RangeError("empty passphrase");
  return utf8ToBytes(normalized);
}

function deriveKeys(sumo: SodiumSumo, secret: BackupSecret, salt: Uint8Array, limits: BackupKdfLimits): { streamKey: Uint8Array; keyCheck: Uint8Array } {
  const secretBytes = password(secret);
  const master = sumo.crypto_pwhash(32, secretBytes, salt, limits.opsLimit, limits.memLimit, sumo.crypto_pwhash_ALG_ARGON2ID13);
  const streamKey = hkdfSha256(master, undefined, utf8ToBytes(KDF_LABELS.backupStream), 32);
  const keyCheck = hkdfSha256(master, undefined, utf8ToBytes(KDF_LABELS.backupKeyCheck), KEY_CHECK_BYTES);
  wipe(master, secretBytes);
  return { streamKey, keyCheck };
}

/** Re-cuts a byte stream into pieces of exactly `size` bytes (the last one may be shorter). */
class ChunkBuffer {
  private parts: Uint8Array[] = [];
  private length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  get size(): number {
    return this.length;
  }

  take(size: number): Uint8Array {
    const out = new Uint8Array(Math.min(size, this.length));
    let offset = 0;
    while (offset < out.length) {
      const part = this.parts[0]!;
      const used = Math.min(part.length, out.length - offset);
      out.set(part.subarray(0, used), offset);
      offset += used;
      if (used === part.length) this.parts.shift();
      else this.parts[0] = part.subarray(used);
    }
    this.length -= out.length;
    return out;
  }
}

/**
 * Seals a payload of any size; yields the header, then one encrypted chunk at a time.
 * @throws {RangeError} for an empty passphrase or a chunk size out of range.
 */
export async function* sealBackup(options: {
  payload: ByteSource;
  secret: BackupSecret;
  random: RandomSource;
  kdfLimits?: BackupKdfLimits;
  chunkBytes?: number;
}): AsyncGenerator<Uint8Array> {
  const limits = options.kdfLimits ?? BACKUP_KDF_PRODUCTION;
  const chunkBytes = options.chunkBytes ?? BACKUP_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > LIMITS.maxChunkBytes) throw new RangeError("chunk size out of range");
  const sumo = await loadSodiumSumo();
  const salt = options.random(SALT_BYTES);
  const { streamKey, keyCheck } = deriveKeys(sumo, options.secret, salt, limits);
  const { state, header: streamHeader } = sumo.crypto_secretstream_xchacha20poly1305_init_push(streamKey);
  wipe(streamKey);
  const header = new ByteWriter(BACKUP_HEADER_BYTES)
    .bytes(MAGIC)
    .u8(VERSION)
    .u8(ALG_ARGON2ID13)
    .u32(limits.opsLimit)
    .u32(limits.memLimit)
    .bytes(salt)
    .u8(secretKind(options.secret))
    .u32(chunkBytes)
    .bytes(keyCheck)
    .bytes(streamHeader)
    .finish();
  yield header;

  const push = (chunk: Uint8Array, final: boolean) =>
    sumo.crypto_secretstream_xchacha20poly1305_push(
      state,
      chunk,
      header,
      final ? sumo.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sumo.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    );
  const buffer = new ChunkBuffer();
  let held: Uint8Array | null = null;
  for await (const piece of options.payload) {
    buffer.push(piece);
    while (buffer.size >= chunkBytes) {
      if (held) yield push(held, false);
      held = buffer.take(chunkBytes);
    }
  }
  if (buffer.size > 0) {
    if (held) yield push(held, false);
    yield push(buffer.take(chunkBytes), true);
  } else {
    yield push(held ?? new Uint8Array(0), true);
  }
}

interface ParsedHeader {
  readonly limits: BackupKdfLimits;
  readonly salt: Uint8Array;
  readonly secretKind: number;
  readonly chunkBytes: number;
  readonly keyCheck: Uint8Array;
  readonly streamHeader: Uint8Array;
}

function parseHeader(bytes: Uint8Array): ParsedHeader {
  const reader = new ByteReader(bytes, "InvalidBackup");
  if (!bytesEqual(reader.bytes(4), MAGIC)) throw new CryptoError("InvalidBackup", "not a Hearth backup");
  reader.version(VERSION);
  if (reader.u8() !== ALG_ARGON2ID13) throw new CryptoError("InvalidBackup", "unknown key derivation");
  const opsLimit = reader.u32();
  const memLimit = reader.u32();
  const salt = reader.bytes(SALT_BYTES);
  const kind = reader.u8();
  const chunkBytes = reader.u32();
  const keyCheck = reader.bytes(KEY_CHECK_BYTES);
  const streamHeader = reader.bytes(STREAM_HEADER_BYTES);
  reader.end();
  if (opsLimit < 1 || opsLimit > LIMITS.maxOpsLimit || memLimit < 8192 || memLimit > LIMITS.maxMemLimit) {
    throw new CryptoError("InvalidBackup", "key derivation limits out of range");
  }
  if (chunkBytes < 1 || chunkBytes > LIMITS.maxChunkBytes) throw new CryptoError("InvalidBackup", "chunk size out of range");
  if (kind !== SECRET_KIND.recoveryKey && kind !== SECRET_KIND.passphrase) throw new CryptoError("InvalidBackup", "unknown secret kind");
  return { limits: { opsLimit, memLimit }, salt, secretKind: kind, chunkBytes, keyCheck, streamHeader };
}

/** Which secret a backup was sealed with, read from its header (to ask for the right one). */
export function backupSecretKind(header: Uint8Array): "recoveryKey" | "passphrase" {
  return parseHeader(header.subarray(0, BACKUP_HEADER_BYTES)).secretKind === SECRET_KIND.recoveryKey ? "recoveryKey" : "passphrase";
}

/**
 * Opens a sealed backup; yields the payload chunk by chunk as each authenticates.
 * @throws {CryptoError} `InvalidBackup` (bad header), `BackupWrongKey`, `BackupDecryptionFailed`
 *   (a tampered or damaged chunk, or data after the end), `BackupTruncated`.
 */
export async function* openBackup(options: { blob: ByteSource; secret: BackupSecret }): AsyncGenerator<Uint8Array> {
  const sumo = await loadSodiumSumo();
  const buffer = new ChunkBuffer();
  const input = (async function* () {
    yield* options.blob;
  })()[Symbol.asyncIterator]();
  let ended = false;
  const fill = async (size: number) => {
    while (!ended && buffer.size < size) {
      const next = await input.next();
      if (next.done) ended = true;
      else buffer.push(next.value);
    }
  };

  await fill(BACKUP_HEADER_BYTES);
  if (buffer.size < BACKUP_HEADER_BYTES) throw new CryptoError("InvalidBackup", "truncated header");
  const header = buffer.take(BACKUP_HEADER_BYTES);
  const parsed = parseHeader(header);
  if (parsed.secretKind !== secretKind(options.secret)) throw new CryptoError("BackupWrongKey", "sealed with the other kind of secret");
  const { streamKey, keyCheck } = deriveKeys(sumo, options.secret, parsed.salt, parsed.limits);
  if (!bytesEqual(keyCheck, parsed.keyCheck)) {
    wipe(streamKey);
    throw new CryptoError("BackupWrongKey");
  }
  const state = sumo.crypto_secretstream_xchacha20poly1305_init_pull(parsed.streamHeader, streamKey);
  wipe(streamKey);

  const cipherChunkBytes = parsed.chunkBytes + STREAM_ABYTES;
  for (;;) {
    await fill(cipherChunkBytes + 1);
    if (buffer.size === 0) throw new CryptoError("BackupTruncated");
    const chunk = buffer.take(cipherChunkBytes);
    const result = chunk.length < STREAM_ABYTES ? false : sumo.crypto_secretstream_xchacha20poly1305_pull(state, chunk, header);
    if (!result) throw new CryptoError("BackupDecryptionFailed");
    if (result.tag === sumo.crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      if (buffer.size > 0) throw new CryptoError("BackupDecryptionFailed", "data after the final chunk");
      yield result.message;
      return;
    }
    if (result.tag !== sumo.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE || chunk.length < cipherChunkBytes) {
      throw new CryptoError("BackupTruncated");
    }
    yield result.message;
  }
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const buffer = new ChunkBuffer();
  for await (const piece of source) buffer.push(piece);
  return buffer.take(buffer.size);
}

/** `sealBackup` for a payload held in memory. */
export function sealBackupBytes(options: {
  payload: Uint8Array;
  secret: BackupSecret;
  random: RandomSource;
  kdfLimits?: BackupKdfLimits;
  chunkBytes?: number;
}): Promise<Uint8Array> {
  return collect(sealBackup({ ...options, payload: [options.payload] }));
}

/** `openBackup` into memory; resolves only once the whole backup has authenticated. */
export function openBackupBytes(options: { blob: Uint8Array; secret: BackupSecret }): Promise<Uint8Array> {
  return collect(openBackup({ blob: [options.blob], secret: options.secret }));
}
