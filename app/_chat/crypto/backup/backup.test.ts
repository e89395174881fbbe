import { describe, expect, it } from "vitest";
import { CryptoError } from "../errors";
import { createDeterministicRandom } from "../testing/deterministic-random";
import {
  BACKUP_HEADER_BYTES,
  BACKUP_KDF_MINIMUM,
  backupSecretKind,
  openBackup,
  openBackupBytes,
  sealBackup,
  sealBackupBytes,
  type BackupSecret,
} from "./backup";
import { RecoveryKey } from "./recovery-key";

const random = createDeterministicRandom("backup");
const recoveryKey = RecoveryKey.generate(random);
const secret: BackupSecret = { recoveryKey };
const kdfLimits = BACKUP_KDF_MINIMUM;
const CHUNK = 1000;
const CIPHER_CHUNK = CHUNK + 17;

function payloadOf(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
}

function seal(payload: Uint8Array, withSecret: BackupSecret = secret): Promise<Uint8Array> {
  return sealBackupBytes({ payload, secret: withSecret, random, kdfLimits, chunkBytes: CHUNK });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}

describe("backup", () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * CHUNK + 123])("round-trips %i bytes", async (length) => {
    const payload = payloadOf(length);
    const blob = await seal(payload);
    expect(blob.length).toBe(BACKUP_HEADER_BYTES + length + 17 * Math.max(1, Math.ceil(length / CHUNK)));
    expect(await openBackupBytes({ blob, secret })).toEqual(payload);
  });

  it("streams: input and output in pieces of any size", async () => {
    const payload = payloadOf(10_000);
    async function* pieces(bytes: Uint8Array, size: number) {
      for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
    }
    const sealed: Uint8Array[] = [];
    for await (const piece of sealBackup({ payload: pieces(payload, 333), secret, random, kdfLimits, chunkBytes: CHUNK })) sealed.push(piece);
    expect(sealed[0]!.length).toBe(BACKUP_HEADER_BYTES);
    expect(sealed.length).toBe(1 + 10);
    const blob = Uint8Array.from(sealed.flatMap((piece) => [...piece]));
    const opened: number[] = [];
    for await (const piece of openBackup({ blob: pieces(blob, 777), secret })) opened.push(...piece);
    expect(Uint8Array.from(opened)).toEqual(payload);
  });

  it("opens with a passphrase (NFKC-normalised), and says which secret a backup wants", async () => {
    const blob = await seal(payloadOf(50), { passphrase: "ﬁre and ice" });
    expect(backupSecretKind(blob)).toBe("passphrase");
    expect(await openBackupBytes({ blob, secret: { passphrase: "fire and ice" } })).toEqual(payloadOf(50));
    expect(await codeOf(openBackupBytes({ blob, secret: { passphrase: "fire and ice!" } }))).toBe("BackupWrongKey");
    expect(await codeOf(openBackupBytes({ blob, secret }))).toBe("BackupWrongKey");
    expect(backupSecretKind(await seal(payloadOf(1)))).toBe("recoveryKey");
  });

  it("refuses the wrong recovery key", async () => {
    const blob = await seal(payloadOf(2500));
    const other = RecoveryKey.generate(createDeterministicRandom("other"));
    expect(await codeOf(openBackupBytes({ blob, secret: { recoveryKey: other } }))).toBe("BackupWrongKey");
  });

  it("refuses a tampered chunk, header or order of chunks", async () => {
    const blob = await seal(payloadOf(3 * CHUNK + 10));
    const flipped = (index: number) => {
      const copy = blob.slice();
      copy[index]! ^= 1;
      return copy;
    };
    expect(await codeOf(openBackupBytes({ blob: flipped(BACKUP_HEADER_BYTES + CIPHER_CHUNK + 5), secret }))).toBe("BackupDecryptionFailed");
    expect(await codeOf(openBackupBytes({ blob: flipped(blob.length - 1), secret }))).toBe("BackupDecryptionFailed");
    expect(await codeOf(openBackupBytes({ blob: flipped(BACKUP_HEADER_BYTES - 1), secret }))).toBe("BackupDecryptionFailed");
    expect(await codeOf(openBackupBytes({ blob: flipped(20), secret }))).toBe("BackupWrongKey");
    const first = blob.subarray(BACKUP_HEADER_BYTES, BACKUP_HEADER_BYTES + CIPHER_CHUNK);
    const second = blob.subarray(BACKUP_HEADER_BYTES + CIPHER_CHUNK, BACKUP_HEADER_BYTES + 2 * CIPHER_CHUNK);
    const swapped = Uint8Array.from([...blob.subarray(0, BACKUP_HEADER_BYTES), ...second, ...first, ...blob.subarray(BACKUP_HEADER_BYTES + 2 * CIPHER_CHUNK)]);
    expect(await codeOf(openBackupBytes({ blob: swapped, secret }))).toBe("BackupDecryptionFailed");
  });

  it("refuses a truncated stream, and data after its end", async () => {
    const blob = await seal(payloadOf(3 * CHUNK + 10));
    expect(await codeOf(openBackupBytes({ blob: blob.subarray(0, BACKUP_HEADER_BYTES + 2 * CIPHER_CHUNK), secret }))).toBe("BackupTruncated");
    expect(await codeOf(openBackupBytes({ blob: blob.subarray(0, BACKUP_HEADER_BYTES), secret }))).toBe("BackupTruncated");
    expect(await codeOf(openBackupBytes({ blob: blob.subarray(0, blob.length - 5), secret }))).toBe("BackupDecryptionFailed");
    expect(await codeOf(openBackupBytes({ blob: blob.subarray(0, 30), secret }))).toBe("InvalidBackup");
    expect(await codeOf(openBackupBytes({ blob: Uint8Array.from([...blob, 0]), secret }))).toBe("BackupDecryptionFailed");
    const exact = await seal(payloadOf(2 * CHUNK));
    expect(await codeOf(openBackupBytes({ blob: Uint8Array.from([...exact, ...new Uint8Array(CIPHER_CHUNK)]), secret }))).toBe("BackupDecryptionFailed");
  });

  it("refuses headers that are not backups or ask for unreasonable work", async () => {
    const blob = await seal(payloadOf(10));
    const withHeader = (offset: number, bytes: number[]) => {
      const copy = blob.slice();
      copy.set(bytes, offset);
      return copy;
    };
    expect(await codeOf(openBackupBytes({ blob: withHeader(0, [0x58]), secret }))).toBe("InvalidBackup");
    expect(await codeOf(openBackupBytes({ blob: withHeader(4, [9]), secret }))).toBe("UnsupportedVersion");
    expect(await codeOf(openBackupBytes({ blob: withHeader(10, [0xff, 0xff, 0xff, 0xff]), secret }))).toBe("InvalidBackup");
    expect(await codeOf(openBackupBytes({ blob: withHeader(6, [0, 0, 0, 100]), secret }))).toBe("InvalidBackup");
  });
});
