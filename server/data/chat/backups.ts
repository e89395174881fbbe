// Encrypted backups: one sealed blob per account and kind of secret (recovery key, passphrase),
// made on a device (docs/e2ee-protocol.md, "Encrypted backup"). The server never reads a blob; it
// keeps the newest and refuses any version that does not exceed the stored one, so an older backup
// cannot be put back over a newer one, by a stale device or by anyone replaying a request.
import "server-only";
import { AppError } from "../../errors";
import type { PersonActor } from "../actor";
import { db } from "../db";

export const BACKUP_KINDS = ["recovery_key", "passphrase"] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];
/** Largest blob accepted, in bytes. */
export const MAX_BACKUP_BYTES = 32 * 1024 * 1024;
/** Versions are stored as INTEGER. */
export const MAX_BACKUP_VERSION = 0x7fff_ffff;

export interface BackupStatus {
  kind: BackupKind;
  version: number;
  bytes: number;
  updatedAt: Date;
}

interface BackupOptions {
  actor: PersonActor;
  purpose: "core.messaging";
  kind: BackupKind;
}

/** The stored backup of this kind, or null. */
export async function readBackup(options: BackupOptions): Promise<{ version: number; blob: Uint8Array; updatedAt: Date } | null> {
  return db().chatBackup.findUnique({
    where: { userId_kind: { userId: options.actor.userId, kind: options.kind } },
    select: { version: true, blob: true, updatedAt: true },
  });
}

/**
 * Stores a backup in place of the previous one of its kind.
 * @throws AppError BACKUP_VERSION_CONFLICT when `version` does not exceed the stored one
 */
export async function writeBackup(options: BackupOptions & { version: number; blob: Uint8Array<ArrayBuffer>; now?: Date }): Promise<BackupStatus> {
  const now = options.now ?? new Date();
  const rows = await db().$queryRaw<{ updated_at: Date }[]>`
    INSERT INTO chat_backups (user_id, kind, version, blob, updated_at)
    VALUES (${options.actor.userId}::uuid, ${options.kind}, ${options.version}, ${options.blob}, ${now})
    ON CONFLICT (user_id, kind) DO UPDATE
      SET version = EXCLUDED.version, blob = EXCLUDED.blob, updated_at = EXCLUDED.updated_at
      WHERE chat_backups.version < EXCLUDED.version
    RETURNING updated_at`;
  if (!rows.length) throw new AppError("BACKUP_VERSION_CONFLICT", "A backup with this version or a newer one is already stored.", { field: "version" });
  return { kind: options.kind, version: options.version, bytes: options.blob.byteLength, updatedAt: rows[0]!.updated_at };
}

/** Deletes the backup of this kind; true when there was one. */
export async function deleteBackup(options: BackupOptions): Promise<boolean> {
  const { count } = await db().chatBackup.deleteMany({ where: { userId: options.actor.userId, kind: options.kind } });
  return count > 0;
}

/** The actor's stored backups, without reading their blobs. */
export async function listBackupStatus(options: { actor: PersonActor; purpose: "core.messaging" }): Promise<BackupStatus[]> {
  const rows = await db().$queryRaw<{ kind: BackupKind; version: number; bytes: number; updated_at: Date }[]>`
    SELECT kind, version, octet_length(blob) AS bytes, updated_at
    FROM chat_backups WHERE user_id = ${options.actor.userId}::uuid ORDER BY kind`;
  return rows.map((r) => ({ kind: r.kind, version: r.version, bytes: r.bytes, updatedAt: r.updated_at }));
}
