// What the engine takes from the browser, passed in (as the crypto core takes time and randomness)
// so that tests run it in Node with their own: the clock, randomness, the network coming back, the
// where the storage lives, this device's name, the backup worker and transport, the
// attachments' transport and the image and video decoding that prepares files, and the delays it waits.
// The one-tab lock is not here: the engine runs only in the tab that already holds it (tabs/chat-tab.ts).
import { OFFLINE_PASSPHRASE_KDF, systemRandom, type PassphraseKdfLimits, type RandomSource } from "../crypto";
import { workerHeldSecrets, type HeldSecrets } from "../pwa/held-secret";
import { httpAttachmentTransport, type AttachmentTransport } from "./attachments/attachment-transport";
import { browserMediaTools } from "./attachments/browser-media-tools";
import type { MediaTools } from "./attachments/media-tools";
import { httpBackupTransport, type BackupTransport } from "./backup-transport";
import { BackupWorkerClient, type BackupWorker } from "./backup-worker-client";
import { BACKUP_DEBOUNCE_MS } from "./backup-service";
import { RECEIPT_DELAY_MS } from "./delivery-receipts";
import { LINK_POLL_MS } from "./link-offer";

export interface EngineEnvironment {
  now(): number;
  random: RandomSource;
  /** Calls `listener` each time the browser comes back online; returns the unsubscribe. */
  onOnline(listener: () => void): () => void;
  /** The name of the person's chat storage on this device (one per browser profile: their user id). */
  storageName(userId: string): string;
  /** This device's name in the device list. */
  deviceName(): Promise<string>;
  createBackupWorker(): BackupWorker;
  backupTransport: BackupTransport;
  attachmentTransport: AttachmentTransport;
  media: MediaTools;
  /** Argon2id's limits for a new offline passphrase (opening uses the limits kept with the copy). */
  offlinePassphraseKdf: PassphraseKdfLimits;
  /** Where the secret opened offline is held between page loads while Messages is in use (the service worker's memory). */
  heldSecrets: HeldSecrets;
  /** attachmentRetryMs: the first wait of a transfer that lost its connection (it doubles up to 30 times). */
  /** `expiryCheckMs`: the longest wait between two checks for disappearing messages past their expiry. */
  delays: { receiptMs: number; backupMs: number; linkPollMs: number; attachmentRetryMs: number; expiryCheckMs: number };
}

/** Disappearing messages are looked at least this often (a timer may sleep through a suspended laptop). */
const EXPIRY_CHECK_MS = 60_000;
/** A transfer that lost its connection first waits this long. */
const ATTACHMENT_RETRY_MS = 1_000;

export function browserEnvironment(): EngineEnvironment {
  return {
    now: () => Date.now(),
    random: systemRandom,
    onOnline(listener) {
      window.addEventListener("online", listener);
      return () => window.removeEventListener("online", listener);
    },
    storageName: (userId) => userId,
    // Needed once, at set-up: the user-agent parser (bowser) loads only then.
    deviceName: async () => (await import("@/app/_shared/isomorphic/device-label")).deviceLabelFromUserAgent(navigator.userAgent),
    createBackupWorker: () => new BackupWorkerClient(),
    backupTransport: httpBackupTransport,
    attachmentTransport: httpAttachmentTransport,
    media: browserMediaTools(),
    offlinePassphraseKdf: OFFLINE_PASSPHRASE_KDF,
    heldSecrets: workerHeldSecrets,
    delays: {
      receiptMs: RECEIPT_DELAY_MS,
      backupMs: BACKUP_DEBOUNCE_MS,
      linkPollMs: LINK_POLL_MS,
      attachmentRetryMs: ATTACHMENT_RETRY_MS,
      expiryCheckMs: EXPIRY_CHECK_MS,
    },
  };
}
