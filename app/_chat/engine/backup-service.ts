// The encrypted backup: a recovery key made on this device (shown once), optionally a passphrase,
// and a sealed copy of the account key, contacts and message history uploaded a few seconds after
// each change. Sealing runs in a Web Worker (Argon2id). The server keeps one blob per secret kind.
// The worker and the transport are passed in (browser ones by default, in-memory ones in tests).
import { RecoveryKey } from "../crypto";
import { readLocalFile } from "./attachments/local-files";
import { ChatEngineError } from "./chat-engine-error";
import { asRestored, encodeJsonWithBytes, type BackupPayload } from "./backup-payload";
import type { BackupTransport } from "./backup-transport";
import type { BackupWorker } from "./backup-worker-client";
import type { BackupWorkerSecret } from "./backup.worker";
import type { EngineContext } from "./engine-context";
import { KV, type BackupSettings, type ContactRecord, type ConversationRecord, type MessageRecord } from "./records";
import { MAX_BACKUP_ATTACHMENT_BYTES, type BackupKind, type BackupView } from "./types";

/** How long after a change the backup runs (later changes in this time push it back). */
export const BACKUP_DEBOUNCE_MS = 4_000;
/**
 * The most plaintext a backup may take: the server keeps at most 32 MiB sealed, and sealing adds
 * a header and 17 bytes a 64 KiB chunk. Files are left out (the oldest first) to stay within it.
 */
const MAX_BACKUP_PLAINTEXT_BYTES = 31 * 1024 * 1024;

export class BackupService {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private view: BackupView = { enabled: false, hasPassphrase: false, lastBackupAt: null, running: false, error: null, pendingRecoveryKey: null };

  constructor(
    private readonly ctx: EngineContext,
    private readonly parts: { worker: BackupWorker; transport: BackupTransport; debounceMs?: number },
    private readonly onChange: (view: BackupView) => void,
  ) {}

  async load(): Promise<void> {
    const settings = await this.settings();
    this.update({ enabled: !!settings, hasPassphrase: !!settings?.passphrase, lastBackupAt: settings?.lastBackupAt ?? null });
  }

  /** Makes the recovery key and runs the first backup; the key is shown until confirmed. */
  async enable(): Promise<void> {
    const existing = await this.settings();
    if (existing) return;
    const recoveryKey = RecoveryKey.generate(this.ctx.random).digits;
    await this.ctx.storage.setValue<BackupSettings>(KV.backup, { recoveryKey, passphrase: null, lastBackupAt: null, version: 0 });
    this.update({ enabled: true, pendingRecoveryKey: recoveryKey });
    await this.backUpNow();
  }

  confirmRecoveryKeySaved(): void {
    this.update({ pendingRecoveryKey: null });
  }

  async setPassphrase(passphrase: string | null): Promise<void> {
    const settings = await this.settings();
    if (!settings) throw new ChatEngineError("chat_backup_failed");
    await this.ctx.storage.setValue<BackupSettings>(KV.backup, { ...settings, passphrase });
    this.update({ hasPassphrase: !!passphrase });
    if (!passphrase) {
      await this.parts.transport.remove("passphrase");
      return;
    }
    await this.backUpNow();
  }

  /** Something worth backing up changed: back up in a few seconds (coalescing bursts). */
  schedule(): void {
    if (!this.view.enabled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.backUpNow().catch(() => undefined), this.parts.debounceMs ?? BACKUP_DEBOUNCE_MS);
  }

  /** How many bytes of files backups carry (0 unless the person chose more). */
  async attachmentLimit(): Promise<number> {
    return Math.min(MAX_BACKUP_ATTACHMENT_BYTES, (await this.ctx.storage.getValue<number>(KV.backupAttachmentLimit)) ?? 0);
  }

  /** Sets it, clamped to 0..MAX_BACKUP_ATTACHMENT_BYTES, and backs up again soon when the backup is on. */
  async setAttachmentLimit(bytes: number): Promise<void> {
    const limit = Number.isFinite(bytes) ? Math.max(0, Math.min(MAX_BACKUP_ATTACHMENT_BYTES, Math.floor(bytes))) : 0;
    await this.ctx.storage.setValue<number>(KV.backupAttachmentLimit, limit);
    this.schedule();
  }

  async backUpNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runOnce().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.backUpNow().catch(() => undefined);
      }
    });
    return this.running;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private async runOnce(): Promise<void> {
    const settings = await this.settings();
    if (!settings) return;
    this.update({ running: true, error: null });
    try {
      const payload = await this.buildPayload(settings);
      const status = await this.ctx.client.chat.backup.status.query();
      const version = Math.max(settings.version, ...status.map((s) => s.version)) + 1;
      const secrets: [BackupKind, BackupWorkerSecret][] = [["recoveryKey", { recoveryKey: settings.recoveryKey }]];
      if (settings.passphrase) secrets.push(["passphrase", { passphrase: settings.passphrase }]);
      for (const [kind, secret] of secrets) {
        await this.parts.transport.upload(kind, version, await this.parts.worker.run("seal", payload, secret));
      }
      const lastBackupAt = this.ctx.now();
      await this.ctx.storage.setValue<BackupSettings>(KV.backup, { ...settings, version, lastBackupAt });
      this.update({ running: false, lastBackupAt });
    } catch (error) {
      this.update({ running: false, error: error instanceof ChatEngineError ? error.code : "chat_backup_failed" });
      throw error;
    }
  }

  private async buildPayload(settings: BackupSettings): Promise<Uint8Array> {
    const { storage } = this.ctx;
    const conversations = await storage.listConversations<ConversationRecord>();
    const contacts: ContactRecord[] = [];
    for (const conversation of conversations) {
      const contact = await storage.getValue<ContactRecord>(KV.contact(conversation.id));
      if (contact) contacts.push(contact);
    }
    const stored: MessageRecord[] = [];
    for await (const batch of storage.iterateMessages<MessageRecord>(500)) stored.push(...batch);
    const payload: BackupPayload = {
      v: 1,
      userId: this.ctx.me.userId,
      accountKeyPair: this.ctx.accountKeyPair.serialize(),
      contacts,
      conversations,
      messages: stored.map((m) => asRestored(m, new Set())),
      backup: { recoveryKey: settings.recoveryKey, passphrase: settings.passphrase },
    };
    const withoutFiles = encodeJsonWithBytes(payload);
    // Files travel in base64: 4 bytes of JSON for 3 of file, and a few for the entry.
    const room = Math.floor(((MAX_BACKUP_PLAINTEXT_BYTES - withoutFiles.length) * 3) / 4);
    const files = await this.filesToCarry(stored, Math.min(await this.attachmentLimit(), room));
    if (!files.length) return withoutFiles;
    const carried = new Set(files.map((f) => f.attachmentId));
    return encodeJsonWithBytes({ ...payload, messages: stored.map((m) => asRestored(m, carried)), files });
  }

  /** Local copies of files, the newest first, as many as fit in `budget` bytes. */
  private async filesToCarry(messages: readonly MessageRecord[], budget: number): Promise<NonNullable<BackupPayload["files"]>> {
    const files: NonNullable<BackupPayload["files"]> = [];
    let used = 0;
    for (let i = messages.length - 1; i >= 0 && budget > used; i--) {
      for (const a of messages[i]!.attachments ?? []) {
        if (a.status !== "downloaded" || used + a.size + 64 > budget) continue;
        const copy = await readLocalFile(this.ctx.storage, a.localId, a.size, a.type);
        if (!copy) continue;
        files.push({ attachmentId: a.localId, bytes: new Uint8Array(await copy.arrayBuffer()) });
        used += a.size + 64;
      }
    }
    return files;
  }

  private settings(): Promise<BackupSettings | undefined> {
    return this.ctx.storage.getValue<BackupSettings>(KV.backup);
  }

  private update(change: Partial<BackupView>): void {
    this.view = { ...this.view, ...change };
    this.onChange(this.view);
  }
}
