// Restoring: download the sealed backup, open it in the worker with the recovery key or passphrase,
// and make a new device (new device keys; sessions are not restored) that signs itself into the
// list with the restored account key and holds the restored contacts, conversations and messages.
import { RecoveryKey } from "../crypto";
import { adoptOwnList } from "./adopt-own-list";
import { decodeJsonWithBytes, restoreBackupFiles, type BackupPayload } from "./backup-payload";
import type { BackupWorker } from "./backup-worker-client";
import { ChatEngineError } from "./chat-engine-error";
import { createDevice } from "./create-device";
import { engineContextOf, type DeviceSetupContext, type SetUpDevice } from "./device-setup-context";
import { KV, type AccountRecord, type BackupSettings } from "./records";
import type { BackupKind } from "./types";

const RESTORE_BATCH = 500;

export type BackupSecretInput = { recoveryKey: string } | { passphrase: string };

/** The secret as the worker takes it. @throws ChatEngineError chat_recovery_key_invalid */
export function parseBackupSecret(secret: BackupSecretInput): BackupSecretInput {
  if (!("recoveryKey" in secret)) return secret;
  try {
    return { recoveryKey: RecoveryKey.parse(secret.recoveryKey).digits };
  } catch {
    throw new ChatEngineError("chat_recovery_key_invalid");
  }
}

export async function restoreFromBackup(setup: DeviceSetupContext, worker: BackupWorker, secret: BackupSecretInput): Promise<SetUpDevice> {
  const kind: BackupKind = "recoveryKey" in secret ? "recoveryKey" : "passphrase";
  setup.step("downloading-backup");
  const blob = await setup.env.backupTransport.download(kind);
  if (!blob) throw new ChatEngineError("chat_backup_not_found");
  setup.step("deriving-key");
  const payload = decodeJsonWithBytes<BackupPayload>(await worker.run("open", blob, secret));
  if (payload.v !== 1 || payload.userId !== setup.me.userId) throw new ChatEngineError("chat_backup_failed");
  const { storage, account: base, entry } = await createDevice(setup);
  try {
    const account: AccountRecord = { ...base, accountKeyPair: payload.accountKeyPair };
    await adoptOwnList(engineContextOf(setup, { storage, account }), entry);
    setup.step("restoring", 0);
    for (const contact of payload.contacts) await storage.setValue(KV.contact(contact.userId), contact);
    await storage.putConversations(payload.conversations);
    for (let i = 0; i < payload.messages.length; i += RESTORE_BATCH) {
      await storage.putMessages(payload.messages.slice(i, i + RESTORE_BATCH));
      setup.step("restoring", Math.min(1, (i + RESTORE_BATCH) / payload.messages.length));
    }
    // The files the backup carried (up to the person's limit) open offline again at once.
    await restoreBackupFiles(storage, payload);
    const status = await setup.client.chat.backup.status.query();
    if (payload.backup) {
      // Goes on backing up with the same secrets, above the versions the server holds.
      await storage.setValue<BackupSettings>(KV.backup, { ...payload.backup, lastBackupAt: null, version: Math.max(0, ...status.map((s) => s.version)) });
    }
    await storage.setValue(KV.account, account);
    return { storage, account };
  } catch (error) {
    storage.close();
    throw error;
  }
}
