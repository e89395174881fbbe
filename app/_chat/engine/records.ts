// The engine's records in the chat storage (every one sealed at rest by app/_chat/storage).
import type { OutboxItem, StoredConversation, StoredMessage } from "../storage";
import type { ChatContent } from "./chat-content";
import type { ChatPerson, DeliveryState } from "./types";

/** kv "account": who this browser is in the chat. */
export interface AccountRecord {
  /** The account identity key pair (shared by all of the person's devices), serialized. */
  accountKeyPair: Uint8Array;
  device: { rowId: string; deviceId: number; name: string };
  /** Next ids for one-time prekeys of both kinds and for the signed prekey. */
  nextPreKeyId: number;
  nextKyberPreKeyId: number;
  signedPreKeyId: number;
}

export interface DeviceEntry {
  rowId: string;
  deviceId: number;
  identityKey: Uint8Array;
  name: string;
  addedAt: number;
}

/** kv "contact:<userId>": a person's verified device list, and what we trust for them (also for ourselves). */
export interface ContactRecord {
  userId: string;
  accountKey: Uint8Array;
  listVersion: number;
  devices: DeviceEntry[];
  verified: boolean;
  identityChanged: boolean;
}

export interface ConversationRecord extends StoredConversation {
  peer: ChatPerson;
  lastMessage: { id: string; body: string; at: number; outgoing: boolean; state: DeliveryState | null } | null;
  unread: number;
}

export interface MessageRecord extends StoredMessage {
  kind: "message" | "notice";
  outgoing: boolean;
  body: string;
  sentAt: number;
  state: DeliveryState | null;
  notice: "identity-changed" | "verified" | "unverified" | null;
}

/** One sealed copy of an outbox item, for the device with this row id, as `envelopes.send` takes it. */
export interface OutboxEnvelope {
  deviceRowId: string;
  payload: string;
}

export interface OutboxRecord extends OutboxItem {
  /** The person the content is for (and, for "delivered", whose devices get it). */
  peerUserId: string;
  content: ChatContent;
  /** Also copy to this person's own other devices (as a "sent" sync message). */
  syncToOwnDevices: boolean;
  attempts: number;
  nextAttemptAt: number;
  /**
   * Sealed once, then retried byte for byte (so a retry never advances a ratchet twice). Items
   * sealed before the rename name the device `deviceId` (the same row id); Outbox reads them as
   * `deviceRowId`.
   */
  envelopes: OutboxEnvelope[] | null;
  /** Device row ids whose copies the server stored; later attempts leave them out. */
  delivered?: string[];
  /** Device row ids given up on: their copies could not be made in MAX_DEVICE_ATTEMPTS attempts. */
  abandoned?: string[];
  /** Devices whose copies could not be made at the last attempt, and how many attempts that has been. */
  deviceFailures?: Record<string, number>;
}

/** kv "backup": present once the backup is on. The device keeps its secrets to seal again later. */
export interface BackupSettings {
  recoveryKey: string;
  passphrase: string | null;
  lastBackupAt: number | null;
  version: number;
}

/** kv "inbox": decrypted envelopes not yet stored (see receiver.ts). */
export interface InboxEntry {
  envelopeId: string;
  sender: { userId: string; deviceId: number };
  senderIdentityKey: Uint8Array;
  plaintext: Uint8Array;
}

export const KV = {
  account: "account",
  backup: "backup",
  inbox: "inbox",
  contact: (userId: string) => `contact:${userId}`,
} as const;
