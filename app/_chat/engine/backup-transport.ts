// Where sealed backups travel: /api/chat/backup/{recovery-key|passphrase}, raw bytes with a
// version the server requires to rise (a route handler, not tRPC). Injected, so tests keep blobs
// in memory.
import { ChatEngineError } from "./chat-engine-error";
import type { BackupKind } from "./types";

export interface BackupTransport {
  /** The sealed backup of `kind`; null when there is none. */
  download(kind: BackupKind): Promise<Uint8Array | null>;
  /** @throws ChatEngineError chat_backup_failed when refused (e.g. `version` not above the stored one) */
  upload(kind: BackupKind, version: number, blob: Uint8Array): Promise<void>;
  /** Deletes it; a failure is not reported (the next backup of that kind replaces it anyway). */
  remove(kind: BackupKind): Promise<void>;
}

const URL_KIND: Record<BackupKind, string> = { recoveryKey: "recovery-key", passphrase: "passphrase" };
const urlOf = (kind: BackupKind) => `/api/chat/backup/${URL_KIND[kind]}`;

export const httpBackupTransport: BackupTransport = {
  async download(kind) {
    const response = await fetch(urlOf(kind), { cache: "no-store" });
    if (response.status === 404) return null;
    if (!response.ok) throw new ChatEngineError("chat_backup_failed");
    return new Uint8Array(await response.arrayBuffer());
  },
  async upload(kind, version, blob) {
    const response = await fetch(urlOf(kind), {
      method: "PUT",
      headers: { "content-type": "application/octet-stream", "x-backup-version": String(version) },
      body: new Blob([blob as Uint8Array<ArrayBuffer>]),
    });
    if (!response.ok) throw new ChatEngineError("chat_backup_failed");
  },
  async remove(kind) {
    await fetch(urlOf(kind), { method: "DELETE" });
  },
};
