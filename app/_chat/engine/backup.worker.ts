// Seals and opens backups off the main thread: Argon2id at 256 MiB blocks for over a second.
import { isCryptoError, openBackupBytes, RecoveryKey, sealBackupBytes, systemRandom, type BackupSecret } from "../crypto";

export type BackupWorkerSecret = { recoveryKey: string } | { passphrase: string };
export type BackupWorkerRequest = { id: number; op: "seal" | "open"; bytes: Uint8Array; secret: BackupWorkerSecret };
export type BackupWorkerResponse = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; code: string };

const toSecret = (secret: BackupWorkerSecret): BackupSecret =>
  "recoveryKey" in secret ? { recoveryKey: RecoveryKey.parse(secret.recoveryKey) } : { passphrase: secret.passphrase };

self.onmessage = async (event: MessageEvent<BackupWorkerRequest>) => {
  const { id, op, bytes, secret } = event.data;
  try {
    const result =
      op === "seal"
        ? await sealBackupBytes({ payload: bytes, secret: toSecret(secret), random: systemRandom })
        : await openBackupBytes({ blob: bytes, secret: toSecret(secret) });
    const response: BackupWorkerResponse = { id, ok: true, bytes: result };
    (self as unknown as Worker).postMessage(response, [result.buffer]);
  } catch (error) {
    const response: BackupWorkerResponse = { id, ok: false, code: isCryptoError(error) ? error.code : "Unexpected" };
    (self as unknown as Worker).postMessage(response);
  }
};
