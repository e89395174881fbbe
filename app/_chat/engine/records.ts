// The engine's records in the chat storage (every one sealed at rest by app/_chat/storage).
import type { OutboxItem, StoredConversation, StoredMessage } from "../storage";
import type { ChatContent } from "./chat-content";
import type { GroupState } from "./groups/group-state";
import type { AttachmentKind, AttachmentStatus, ChatPerson, DeliveryState, NoticeKind } from "./types";

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
  /** When the list was last fetched (absent in records stored before this was kept). */
  checkedAt?: number;
}

interface ConversationRecordBase extends StoredConversation {
  lastMessage: {
    id: string;
    body: string;
    at: number;
    outgoing: boolean;
    state: DeliveryState | null;
    senderUserId?: string | null;
    /** How many files it carries (absent: none). */
    attachments?: number;
    /** Deleted for everyone (absent: not). */
    deleted?: boolean;
  } | null;
  unread: number;
  /**
   * A message request, while it is one: a first message from someone this person does not follow
   * (1:1), or a group someone they do not follow added them to; `from` is that person. Absent once
   * accepted, and in every conversation this person began (records stored before requests existed
   * have none: they were accepted).
   */
  request?: { from: string };
  /** The disappearing-message timer (absent: never set): the change that set it, which later changes must beat (content "timer"). */
  timer?: ConversationTimer;
}

/** A conversation's timer as the latest change set it: `seconds` 0 is off; changes are ordered by `sentAt`, then `id`. */
export interface ConversationTimer {
  seconds: number;
  sentAt: number;
  id: string;
}

/** A conversation with one person; records stored before groups existed have no `kind`. */
export interface DirectConversationRecord extends ConversationRecordBase {
  kind?: "direct";
  peer: ChatPerson;
}

/** A group: its whole state lives here, on the members' devices only. */
export interface GroupConversationRecord extends ConversationRecordBase {
  kind: "group";
  group: GroupState;
}

export type ConversationRecord = DirectConversationRecord | GroupConversationRecord;

export interface MessageRecord extends StoredMessage {
  kind: "message" | "notice";
  outgoing: boolean;
  body: string;
  sentAt: number;
  state: DeliveryState | null;
  notice: NoticeKind | null;
  /** A group message from someone else: who wrote it. */
  senderUserId?: string | null;
  /** Our own group message: the members whose devices said "delivered", and how many members it went to. */
  deliveredTo?: string[];
  recipientCount?: number;
  /** A group notice: who made the change, whom it is about, and a detail (a new name, why it was refused). */
  actorId?: string | null;
  subjectIds?: string[];
  detail?: string | null;
  /** The files it carries, in the sender's order. */
  attachments?: StoredAttachment[];
  /**
   * Fields of message actions (message-actions.ts), all absent in records stored before them.
   * `replyTo`: the message it quotes; `quote` what this device knew of it when this one was stored
   * (shown when the quoted message is not loaded in the thread).
   */
  replyTo?: string;
  quote?: QuoteSnapshot | null;
  /** Each person's reaction (the latest by its `at`), by user id (ours under our own id). */
  reactions?: Record<string, { emoji: string | null; at: number }>;
  /** The text before each edit, oldest first, with when it was written; `editedAt` of the current text. */
  edits?: { body: string; at: number }[];
  editedAt?: number;
  /** A received message's franking proof (message-franking.ts), kept on this device only for a report. */
  franking?: FrankingProof;
  /** Deleted for everyone: its text, files, reactions and edits are gone. */
  deleted?: boolean;
  /** An incoming message this device has shown (its read receipt went out, if they are on). */
  read?: boolean;
  /** Our own message: the people whose devices said "read". */
  readBy?: string[];
  /** A disappearing message: when every device deletes it (the sender's sent-at plus the timer then, ms). */
  expiresAt?: number;
  /** A view-once photo: opened (incoming: here or on another of our devices, its copy gone; outgoing: by a reader). */
  viewOnce?: { opened: boolean };
}

/** A quoted message as the replying device knew it. */
export interface QuoteSnapshot {
  authorId: string;
  body: string;
  attachments: number;
  deleted: boolean;
}

/** A file of a message, as this device holds it. */
export interface StoredAttachment {
  /**
   * This device's id for it: the view's id, and the key of its local copy in the storage. Never the
   * server's blob id, which a sender chooses: one who named another file's id must not reach that
   * file's local copy.
   */
  localId: string;
  name: string;
  type: string;
  kind: AttachmentKind;
  size: number;
  width?: number;
  height?: number;
  durationMs?: number;
  /** The thumbnail JPEG, base64url. */
  thumbnail?: string;
  /** The encrypted blob on the server and what opens it (base64url); absent until our own upload is done. */
  blob?: { id: string; key: string; digest: string };
  status: AttachmentStatus;
  /** Why the last transfer failed (a translation key), while it shows failed. */
  error?: string;
  /** Set only on the copy a thread shows while the file moves (0..1); never stored. */
  liveProgress?: number;
}

/** One sealed copy of an outbox item, for the device with this row id, as `envelopes.send` takes it. */
export interface OutboxEnvelope {
  deviceRowId: string;
  payload: string;
  /** The franking commitment the server binds (base64url; absent in items sealed before franking). */
  commitment?: string;
}

export interface OutboxRecord extends OutboxItem {
  /** The person the content is for (and, for "delivered", whose devices get it). Unused when `recipientIds` or `groupId` is set. */
  peerUserId: string;
  /** Pairwise copies to every device of each of these people (ours, when listed, but never this device): group changes. */
  recipientIds?: string[];
  /** A group message: encrypted once with this device's sender key for the group, one envelope per member device. */
  groupId?: string;
  content: ChatContent;
  /** Also copy to this person's own other devices (as a "sent" sync message). */
  syncToOwnDevices: boolean;
  /** Only to these of the person's devices (the history for a device just linked goes to it alone). */
  onlyDevices?: string[];
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
  /** Not worth sending after this time (a typing signal): dropped then, and never retried after a failure. */
  staleAt?: number;
  /** Device row ids given up on: their copies could not be made in MAX_DEVICE_ATTEMPTS attempts. */
  abandoned?: string[];
  /** Devices whose copies could not be made at the last attempt, and how many attempts that has been. */
  deviceFailures?: Record<string, number>;
  /** How many times the person (a 1:1 item) was found with no device yet: the item waits for their first. */
  waitingChecks?: number;
}

/** kv "attachment-transfers": messages whose files were moving (a tab closed mid-way leaves them to put right at the next start). */
export type TransferJournal = string[];

/** kv "backup": present once the backup is on. The device keeps its secrets to seal again later. */
export interface BackupSettings {
  recoveryKey: string;
  passphrase: string | null;
  lastBackupAt: number | null;
  version: number;
}

/** This device's sending chain in a group, and who has it. */
export interface OwnSenderKeyRecord {
  key: Uint8Array;
  createdAt: number;
  /** Messages encrypted with it: at MAX_SENDER_KEY_MESSAGES it is replaced. */
  sent: number;
  /** Device row ids that were sent its distribution message. */
  distributedTo: string[];
  /** Someone left or was removed: replace it before the next message. */
  rotate: boolean;
}

/** A sender-key message whose key has not arrived yet (kept sealed in the storage like everything else). */
export interface GroupPendingEntry {
  sender: { userId: string; deviceId: number };
  senderIdentityKey: Uint8Array;
  message: Uint8Array;
  receivedAt: number;
}

/** kv "inbox": decrypted envelopes not yet stored (see receiver.ts). */
export interface InboxEntry {
  envelopeId: string;
  /** "group": `plaintext` came out of a sender-key message (group content), else out of a pairwise session. */
  via?: "group";
  /** For "group": the group the sender-key message named (its content must name the same). */
  groupId?: string;
  sender: { userId: string; deviceId: number };
  senderIdentityKey: Uint8Array;
  plaintext: Uint8Array;
  /** What the server delivered beside the envelope for franking (absent: nothing). */
  delivery?: EnvelopeDelivery;
}

/** The sealed franking tag (base64url) an envelope came with, and when the server stored it (ms). */
export interface EnvelopeDelivery {
  franking: string | null;
  deliveredAt: number;
}

/** What lets this device report a received message: Kf, C and the server's tag (base64url), and the time the tag binds. */
export interface FrankingProof {
  key: string;
  commitment: string;
  tag: string;
  deliveredAt: number;
}

export const KV = {
  account: "account",
  backup: "backup",
  inbox: "inbox",
  attachmentTransfers: "attachment-transfers",
  /** How many bytes of files backups carry (a number; absent: 0). */
  backupAttachmentLimit: "backup-attachment-limit",
  contact: (userId: string) => `contact:${userId}`,
  /** This device's sender key in a group (OwnSenderKeyRecord). */
  ownSenderKey: (groupId: string) => `sender-key:${groupId}`,
  /** A member device's sender keys in a group, as the crypto core serializes them. */
  memberSenderKeys: (groupId: string, sender: { userId: string; deviceId: number }) => `member-keys:${groupId}:${sender.userId}.${sender.deviceId}`,
  /** This device's chat settings (ChatSettings; absent: the defaults). */
  settings: "chat-settings",
  /** Message actions that came before their message (PendingAction[], message-actions.ts). */
  pendingActions: "pending-actions",
  /** Group messages that came before their sender key (GroupPendingEntry[]). */
  groupPending: (groupId: string) => `group-pending:${groupId}`,
} as const;
