// What the chat engine shows the UI: plain, immutable snapshots (replaced, never mutated, so React
// can compare them by identity) and the commands the UI may give. Everything here is already
// decrypted and lives only in this browser; nothing of it is sent to the server in clear.

/** Where this browser stands with private messages. */
export type EngineStatus =
  | { kind: "starting" }
  /**
   * This browser has no chat keys yet. `otherDevices`: the names in the account's device list
   * (offer linking; starting fresh would cut them off); `backups`: which sealed backups the server
   * holds (offer restoring).
   */
  | { kind: "needs-setup"; otherDevices: string[]; backups: BackupKind[] }
  /**
   * This browser's device left the account's list: removed under Devices, or cut off when a new
   * identity was started on `by`. Its storage is kept (history can still be downloaded) until the
   * person sets up again.
   */
  | { kind: "cut-off"; reason: "new-identity" | "removed"; by: string | null }
  /** Setting up, linking or restoring; `step` is a translation key, `progress` 0..1 when known. */
  | { kind: "working"; step: SetupStep; progress: number | null }
  | { kind: "ready" }
  /**
   * Started with no network on a device that keeps an offline copy of the storage secret locked
   * with the offline passphrase: `unlockOffline` opens it (docs/e2ee-protocol.md, "Opening
   * offline"). The network coming back starts the engine as usual, with no passphrase.
   */
  | { kind: "locked-offline" }
  /** Unrecoverable for now (e.g. storage refused); `code` is a translation key. */
  | { kind: "failed"; code: string };

export type SetupStep = "creating-keys" | "registering" | "waiting-for-approval" | "restoring" | "downloading-backup" | "deriving-key";

export type BackupKind = "recoveryKey" | "passphrase";

/** The stream to the server: the UI shows a quiet banner when not "online". */
export type ConnectionState = "connecting" | "online" | "offline";

/** "waiting": the person has no device yet; it goes out when they first open Messages (never "failed" for that). */
export type DeliveryState = "sending" | "waiting" | "sent" | "delivered" | "failed";

export interface ChatPerson {
  userId: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
}

/** The last line of a conversation, as the list shows it. */
export interface LastMessageView {
  body: string;
  at: number;
  outgoing: boolean;
  state: DeliveryState | null;
  /** In a group, who wrote an incoming message (null for our own and in 1:1 conversations). */
  senderName: string | null;
  /** How many files the message carries (its body may be empty). */
  attachments: number;
  /** Deleted for everyone (show "This message was deleted"). */
  deleted: boolean;
}

interface ConversationSummaryBase {
  /** The other person's user id (1:1), or the group id: both are UUIDs, so they never collide. */
  id: string;
  lastMessage: LastMessageView | null;
  unread: number;
  /** A message request, from this person (for a group: who added us); null once accepted. */
  request: ChatPerson | null;
  /** The disappearing-message timer in seconds (0: off). */
  disappearingSeconds: number;
}

export interface DirectConversationSummary extends ConversationSummaryBase {
  kind: "direct";
  peer: ChatPerson;
  verified: boolean;
  /** The peer's account key changed since it was last acknowledged (show the warning). */
  identityChanged: boolean;
}

export interface GroupConversationSummary extends ConversationSummaryBase {
  kind: "group";
  group: GroupView;
}

export type ConversationSummary = DirectConversationSummary | GroupConversationSummary;

/** Longest group name and description, in UTF-16 code units. */
export const MAX_GROUP_NAME_LENGTH = 80;
export const MAX_GROUP_DESCRIPTION_LENGTH = 500;
/** Members of a group, its creator included. */
export const MAX_GROUP_MEMBERS = 1000;

/**
 * A group as this device knows it: its state lives only on the members' devices (the server knows
 * no name, member or admin), changed by signed control messages that every device checks.
 */
export interface GroupView {
  id: string;
  name: string;
  description: string;
  /** The group's picture as a data: URL (a small JPEG made on an admin's device), or null. */
  pictureUrl: string | null;
  /** Current members, this person included while a member; admins first, then by name. */
  members: readonly GroupMemberView[];
  /** This person may add, remove and promote members and rename the group. */
  amAdmin: boolean;
  /** "removed" or "left": the conversation stays readable but nothing new arrives or can be sent. */
  membership: "member" | "removed" | "left";
}

export interface GroupMemberView {
  person: ChatPerson;
  admin: boolean;
  me: boolean;
}

export type AttachmentKind = "image" | "video" | "voice" | "file";

/**
 * Where a file stands on this device. "downloaded": a local copy is here (our own files from the
 * moment they are sent); "available": on the server, not here yet.
 */
export type AttachmentStatus = "uploading" | "upload-failed" | "available" | "downloading" | "download-failed" | "downloaded";

/** The most files one message carries. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** The largest file, in bytes, as sent (a photo after its re-encoding); the crypto core's MAX_ATTACHMENT_BYTES. */
export const MAX_ATTACHMENT_SIZE = 100 * 1024 * 1024;
/** Received images up to this size download by themselves. */
export const AUTO_DOWNLOAD_IMAGE_BYTES = 10 * 1024 * 1024;
/** The most bytes of files a backup may carry (the server keeps backups of at most 32 MiB, and files travel in base64 there). */
export const MAX_BACKUP_ATTACHMENT_BYTES = 16 * 1024 * 1024;

export interface AttachmentView {
  /** This device's id for the file: what `downloadAttachment` and `openAttachment` take. */
  id: string;
  /** The file's name, without any path. */
  name: string;
  /** Its MIME type as the sender declared it (a photo is sent as image/jpeg). */
  type: string;
  kind: AttachmentKind;
  /** Bytes. */
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  /** A data: URL of a small JPEG preview (images, and videos when one could be made), or null. */
  thumbnailUrl: string | null;
  status: AttachmentStatus;
  /** 0..1 while uploading or downloading (null when not moving). */
  progress: number | null;
  /** Why the last upload or download failed: a translation key under "chat.errors", or null. */
  error: string | null;
}

export interface ChatMessage {
  /** The client message id, the same on every device of every member. */
  id: string;
  conversationId: string;
  outgoing: boolean;
  body: string;
  /** The sender's clock (ms). */
  sentAt: number;
  /** Outgoing only; null for incoming messages. */
  state: DeliveryState | null;
  /** In a group, who wrote an incoming message; null for our own and in 1:1 conversations. */
  sender: ChatPerson | null;
  /** An outgoing group message: to how many members' devices it was delivered, of how many members. */
  groupDelivery: { delivered: number; total: number } | null;
  /** The files it carries, in the sender's order (its body may then be empty). */
  attachments: readonly AttachmentView[];
  /** The message it replies to, as this device knows it; null when it is no reply. */
  replyTo: QuoteView | null;
  /** Reactions, one per person: grouped by emoji, the most given first. */
  reactions: readonly ReactionView[];
  /** The earlier versions of its text, oldest first (empty: never edited). */
  edits: readonly { body: string; at: number }[];
  /** Deleted for everyone: body and files are gone, it shows "This message was deleted". */
  deleted: boolean;
  /**
   * Our own message: how many of the people it went to have read it (1:1: total 1). Null when
   * read receipts are off on this device, or for incoming messages.
   */
  read: { count: number; total: number } | null;
  /** An incoming message this device can report with proof of who sent it (message franking). */
  reportable: boolean;
  /** A disappearing message: when it is deleted on every device (ms); null when it stays. */
  expiresAt: number | null;
  /**
   * A view-once photo (its one file): `opened` once opened (incoming: the photo is gone from this
   * person's devices; outgoing: a reader opened it). Null for ordinary messages.
   */
  viewOnce: { opened: boolean } | null;
}

/** Why something is reported to the operators. */
export type ReportReason = "spam" | "harassment" | "other";

/** A quoted message: its author (null: this person), a snippet of its text, and whether it is still there. */
export interface QuoteView {
  id: string;
  author: ChatPerson | null;
  body: string;
  attachments: number;
  /** "deleted": deleted for everyone; "missing": this device does not have it. */
  status: "shown" | "deleted" | "missing";
}

export interface ReactionView {
  emoji: string;
  /** Who reacted so, this person as null (they may take it back). */
  people: readonly (ChatPerson | null)[];
  mine: boolean;
}

/** How long after sending a message its author may edit it. */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The reactions the message menu offers. */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

/** Settings of this device (kept in its chat storage, never sent). Off means neither sent nor shown. */
export interface ChatSettings {
  readReceipts: boolean;
  typingIndicators: boolean;
}

export const DEFAULT_CHAT_SETTINGS: ChatSettings = { readReceipts: true, typingIndicators: true };

/** An offline passphrase shorter than this is refused (chat_offline_passphrase_too_short). */
export const MIN_OFFLINE_PASSPHRASE_LENGTH = 10;

/** A system line inside the conversation, e.g. the key-change warning or a group change. */
export interface ConversationNotice {
  id: string;
  conversationId: string;
  kind: NoticeKind;
  at: number;
  /** Group notices: who made the change (null for a change by this person). */
  actor: ChatPerson | null;
  /** Group notices: whom it is about (added, removed, made admin). */
  subjects: readonly ChatPerson[];
  /** A new group name, or why a change was refused ("not-admin", "not-member"). */
  detail: string | null;
}

export type NoticeKind =
  | "identity-changed"
  | "verified"
  | "unverified"
  | "group-created"
  | "members-added"
  | "member-removed"
  | "member-left"
  | "admin-added"
  | "group-renamed"
  /** `detail` "removed" when the picture was taken away. */
  | "group-picture-changed"
  | "you-were-removed"
  | "you-left"
  | "change-refused"
  /** The disappearing-message timer changed: `detail` the new timer in seconds ("0": off). */
  | "timer-changed"
  | CallNoticeKind;

/**
 * A call's line in its conversation, stored by each device itself: the caller is the notice's
 * actor (null for this person), a decliner its subject; `detail` holds the kind and length
 * ("video:83000", see parseCallNoticeDetail in app/_chat/calls).
 */
export type CallNoticeKind = "call-ended" | "call-missed" | "call-declined";

export type CallKind = "audio" | "video";

/** The most people in a group call (the server's MAX_CALL_PARTICIPANTS). */
export const MAX_CALL_PARTICIPANTS = 50;

/** A call ringing on this device, or one that has just stopped ringing because another device of this person answered or declined. */
export interface IncomingCallView {
  callId: string;
  kind: CallKind;
  caller: ChatPerson;
  /** A group call: its group; null in 1:1. */
  group: { id: string; name: string } | null;
  state: "ringing" | "answered-elsewhere" | "declined-elsewhere";
}

/**
 * Where a call stands for this device. "calling": started here, nobody has answered; "accepted":
 * answered here, joining; "answered-elsewhere": another device of this person took it; "declined":
 * by this person, or (1:1) by the callee; "ended": hung up here or by the other side.
 */
export type CallState = "calling" | "ringing" | "accepted" | "joined" | "answered-elsewhere" | "declined" | "missed" | "ended";

/** One media key: `index` is its generation (0 for the invite's), `key` 32 random bytes. */
export interface CallKey {
  index: number;
  key: Uint8Array;
}

/** The call open on this page (`openCall`), as the call screen needs it. */
export interface CallView {
  callId: string;
  room: string;
  kind: CallKind;
  conversationId: string;
  /** 1:1: the other person; null in a group call. */
  peer: ChatPerson | null;
  group: { id: string; name: string } | null;
  /** This person started it. */
  outgoing: boolean;
  state: CallState;
  /** The room's participant cap (LiveKit refuses more). */
  maxParticipants: number;
  /** The media keys this device holds, oldest first: the last one is current. */
  keys: readonly CallKey[];
  /** LiveKit participant ids as the encrypted chat named them (never as LiveKit says), and who they are. */
  participants: Readonly<Record<string, ChatPerson>>;
  /** How long the call lasted, once it ended (null when nobody answered). */
  durationMs: number | null;
}

export interface CallsView {
  incoming: readonly IncomingCallView[];
  open: CallView | null;
}

export interface SafetyNumberView {
  /** 60 digits, no spaces. */
  digits: string;
  /** What the QR code shows (hand it to `qrSvg`). */
  qrPayload: Uint8Array;
  verified: boolean;
}

export interface DeviceView {
  /** The server's device row id (what `removeDevice` takes). */
  rowId: string;
  name: string;
  addedAt: number;
  current: boolean;
}

/** Linking from the existing device's side. */
export type LinkOfferState =
  | { kind: "showing-code"; code: string; expiresAt: number }
  | { kind: "confirm"; code: string; deviceName: string }
  | { kind: "linking" }
  /** Linked; this device's message history is going to it (chosen at approval), `progress` 0..1. */
  | { kind: "sending-history"; deviceName: string; progress: number }
  /** `history`: whether the message history went to it ("none": not chosen, or there was none). */
  | { kind: "done"; deviceName: string; history?: "sent" | "failed" | "none" }
  | { kind: "expired" }
  | { kind: "failed"; code: string };

export interface BackupView {
  /** Whether a recovery key exists (the backup is on). */
  enabled: boolean;
  hasPassphrase: boolean;
  lastBackupAt: number | null;
  /** A backup is being sealed or uploaded right now. */
  running: boolean;
  /** The last attempt failed; translation key. */
  error: string | null;
  /** Recovery key to show once after set-up (60 digits); cleared by `confirmRecoveryKeySaved`. */
  pendingRecoveryKey: string | null;
}

export interface SearchHit {
  message: ChatMessage;
  /** Where the message is: the conversation with a person, or a group. */
  where: { kind: "direct"; peer: ChatPerson } | { kind: "group"; groupId: string; name: string };
}

export interface ChatSnapshot {
  status: EngineStatus;
  connection: ConnectionState;
  /** Latest activity first; message requests are not among them. */
  conversations: readonly ConversationSummary[];
  /**
   * Message requests (conversations with `request` set), latest activity first: not counted in
   * unread totals, no notification, no receipts or typing sent until accepted.
   */
  requests: readonly ConversationSummary[];
  backup: BackupView;
  link: LinkOfferState | null;
  /** On a device just linked: the history its existing device sent is coming in, `progress` 0..1. */
  historyTransfer: { progress: number } | null;
  settings: ChatSettings;
  /**
   * This device keeps a copy of the storage secret locked with the person's offline passphrase, so
   * the app opens with no network once the passphrase is entered. Never sent.
   */
  offlinePassphrase: boolean;
  /** Who is typing now, by conversation id (empty while typing indicators are off). */
  typing: Readonly<Record<string, readonly ChatPerson[]>>;
}

/** The commands. All reject with `ChatEngineError` (its `code` is a translation key) on failure. */
export interface ChatEngineCommands {
  /** First device of the account, or starting over after losing every device and the recovery key. */
  setUpNewDevice(): Promise<void>;
  /** New device: enter the code shown on the existing one. Resolves when linked. */
  linkWithCode(code: string): Promise<void>;
  restoreFromBackup(secret: { recoveryKey: string } | { passphrase: string }): Promise<void>;
  /** Saves the message history this browser holds as a JSON file; resolves to its message count. */
  saveHistory(): Promise<number>;
  /** After being cut off: deletes what this browser still holds and offers set-up again. */
  discardAndSetUpAgain(): Promise<void>;

  /** Finds (and remembers) the person; rejects with code "chat_person_not_found" / "chat_blocked". */
  openConversation(handle: string): Promise<ChatPerson>;
  /** Messages of one conversation, oldest first; loads older pages on demand. */
  messages(conversationId: string): { messages: readonly ChatMessage[]; notices: readonly ConversationNotice[]; hasOlder: boolean };
  loadOlder(conversationId: string): Promise<void>;
  /** `replyTo`: the id of a message of the conversation it quotes. */
  sendText(conversationId: string, body: string, replyTo?: string): Promise<void>;
  /**
   * Sends files with a caption (which may be empty). They are prepared on this device first: a
   * photo is re-encoded as a JPEG without its metadata (place, camera, time), images and videos get
   * a thumbnail. The message is then stored and shown at once, its files "uploading" with their
   * progress; it resolves then, and the files upload in the background, encrypted, the message
   * going out once all are up. A failed upload shows the message "failed" (Retry uploads again).
   * Rejects, storing nothing, with chat_attachment_too_large, chat_attachment_too_many,
   * chat_attachment_quota (`attachmentQuota` says how much is used), chat_too_long,
   * chat_group_not_member or (`viewOnce`: one photo, no caption) chat_view_once_one_photo.
   */
  sendFiles(conversationId: string, files: readonly File[], caption: string, options?: { replyTo?: string; viewOnce?: boolean }): Promise<void>;
  /** This person's reaction to a message, on every device of every member; null takes it back. */
  react(messageId: string, emoji: string | null): Promise<void>;
  /** Replaces one's own message's text; rejects with chat_edit_too_late after EDIT_WINDOW_MS, chat_not_yours, chat_too_long. */
  editMessage(messageId: string, body: string): Promise<void>;
  /** Deletes one's own message for everyone (with its files, on every device); rejects with chat_not_yours. */
  deleteForEveryone(messageId: string): Promise<void>;
  /** Deletes a message (and its files) from this device only. */
  deleteForMe(messageId: string): Promise<void>;
  /** The person is typing in the conversation (true on each keystroke), or stopped; sent only while typing indicators are on. */
  setTyping(conversationId: string, typing: boolean): Promise<void>;
  setChatSettings(change: Partial<ChatSettings>): Promise<void>;
  /**
   * Sets the conversation's disappearing-message timer for every member (one of DISAPPEARING_TIMERS
   * in seconds, or 0 for off), announced in the conversation on every device. Messages sent from
   * then on disappear that long after they were sent; earlier ones keep their own expiry. Rejects
   * with chat_group_not_member.
   */
  setDisappearingTimer(conversationId: string, seconds: number): Promise<void>;
  /**
   * Opens a received view-once photo for the viewer: resolves to it once it has been deleted from
   * this device and the person's other devices and the sender were told. Rejects with
   * chat_attachment_gone when it was opened already, or the download errors of `downloadAttachment`.
   */
  openViewOnce(messageId: string): Promise<Blob>;
  /** Stops a message's uploads: it shows "failed", its unsent files "upload-failed"; Retry starts them again. */
  cancelUpload(messageId: string): Promise<void>;
  /** Sends a failed message again (files not yet uploaded are uploaded first). */
  retry(messageId: string): Promise<void>;
  /**
   * Reveals one received message to the operators, with its franking proof; nothing else of the
   * conversation leaves this device. `note` may be empty.
   */
  reportMessage(messageId: string, reason: ReportReason, note: string): Promise<void>;
  /**
   * Downloads a file into this device's storage, resuming after a dropped connection; resolves once
   * it is stored and checked. Rejects with chat_attachment_gone (the server no longer has it),
   * chat_attachment_failed (it does not decrypt: nothing is kept), chat_attachment_cancelled or chat_offline.
   */
  downloadAttachment(messageId: string, attachmentId: string): Promise<void>;
  cancelDownload(messageId: string, attachmentId: string): Promise<void>;
  /**
   * The file from this device's storage (works offline), typed with its MIME type when that is an
   * image, video or audio type, else application/octet-stream (a Blob of a sender's "text/html"
   * must not open as a page of ours). Rejects with chat_attachment_gone when there is no local copy.
   */
  openAttachment(messageId: string, attachmentId: string): Promise<Blob>;
  /** How much of the account's quota for files not yet delivered is in use. */
  attachmentQuota(): Promise<{ usedBytes: number; limitBytes: number }>;
  /** The conversation is shown: clears its unread count and sends read receipts for what it showed (when they are on). */
  markRead(conversationId: string): Promise<void>;
  /**
   * Accepts a message request: it joins the conversations, and the delivery receipts held back go
   * out (on every device of this person; the others learn it through a note to own devices).
   */
  acceptRequest(conversationId: string): Promise<void>;
  /** Deletes a request here and on this person's other devices; a later message from them is a request again. A group request is left. */
  deleteRequest(conversationId: string): Promise<void>;
  /**
   * Blocks the person a request is from (Hearth's block: they can no longer message this person)
   * and deletes the request (a group request is left). Rejects with chat_offline when the block could not be made.
   */
  blockRequest(conversationId: string): Promise<void>;
  search(query: string): Promise<SearchHit[]>;

  /**
   * Makes a group with this person as its admin and the people with these user ids as members
   * (people followed or written with); resolves to the group id (its conversation id).
   */
  createGroup(options: { name: string; description: string; memberIds: string[] }): Promise<string>;
  /** Admins only: adds people; they see what is sent from now on, nothing before. */
  addGroupMembers(groupId: string, userIds: string[]): Promise<void>;
  /** Admins only: removes a member, who can read nothing sent after. */
  removeGroupMember(groupId: string, userId: string): Promise<void>;
  /** Admins only. */
  makeGroupAdmin(groupId: string, userId: string): Promise<void>;
  /** Admins only. */
  /** `picture`: an image file to make the group's picture from, null to remove it, absent to keep it. */
  editGroup(groupId: string, details: { name: string; description: string; picture?: File | null }): Promise<void>;
  /** Leaves the group (an admin who is the last admin hands admin to the longest-standing member first). */
  leaveGroup(groupId: string): Promise<void>;
  /** People this person may add to a group: those they follow and those they have written with. */
  groupCandidates(): Promise<ChatPerson[]>;

  safetyNumber(conversationId: string): Promise<SafetyNumberView>;
  /** Compares a scanned QR payload; true when it matches (then marks verified). */
  compareScanned(conversationId: string, scanned: Uint8Array): Promise<boolean>;
  setVerified(conversationId: string, verified: boolean): Promise<void>;
  acknowledgeIdentityChange(conversationId: string): Promise<void>;

  devices(): Promise<DeviceView[]>;
  removeDevice(rowId: string): Promise<void>;
  startLinkOffer(): Promise<void>;
  /** `sendHistory`: also send this device's message history to the new one, sealed to it alone (default: not). */
  approveLink(options?: { sendHistory?: boolean }): Promise<void>;
  cancelLink(): Promise<void>;

  /** Calls ringing here and the call open on this page; re-read on every change, like `messages`. */
  calls(): CallsView;
  /**
   * Starts a call in a conversation: makes its room name and first media key on this device;
   * resolves to the room (open its page, /chat/call/<room>, with a full page load). The invite goes
   * out once this device has joined (`callJoined`). Rejects with chat_group_not_member.
   */
  startCall(conversationId: string, kind: CallKind): Promise<string>;
  /** Answers a ringing call on this device; resolves to its room. Rejects with chat_call_unknown. */
  acceptCall(callId: string): Promise<string>;
  /** Declines: the caller (1:1) and this person's other devices stop ringing. */
  declineCall(callId: string): Promise<void>;
  /** Loads the call of this room for its page (`calls().open`); rejects with chat_call_unknown. */
  openCall(room: string): Promise<void>;
  /** This device is in the room as `participantId`: sends the invite (caller) or the answer (others), naming it. */
  callJoined(callId: string, participantId: string): Promise<void>;
  /**
   * Someone left a group call: makes a new media key and sends it to the members except those who
   * left (the call screen of the lowest remaining participant id asks).
   */
  rotateCallKey(callId: string, leftParticipantIds: readonly string[]): Promise<void>;
  /**
   * This device leaves the call: stores its line in the conversation and tells the others (1:1:
   * always; group: when `lastOne`). `durationMs` null: nobody answered.
   */
  endCall(callId: string, options: { durationMs: number | null; lastOne: boolean }): Promise<void>;

  /** Creates the recovery key (shown once through `backup.pendingRecoveryKey`) and the first backup. */
  enableBackup(): Promise<void>;
  confirmRecoveryKeySaved(): void;
  setPassphrase(passphrase: string): Promise<void>;
  removePassphrase(): Promise<void>;

  /**
   * Locks a copy of this device's storage secret with `passphrase` (Argon2id), so Messages opens
   * here with no network once it is entered; setting it again changes it. The passphrase never
   * leaves this device. Rejects with chat_offline_passphrase_too_short (MIN_OFFLINE_PASSPHRASE_LENGTH).
   */
  setOfflinePassphrase(passphrase: string): Promise<void>;
  /** Deletes the copy at once: Messages opens here again only with a connection. */
  removeOfflinePassphrase(): Promise<void>;
  /**
   * While `locked-offline`: opens the store with the offline passphrase and starts as usual (the
   * stream and the outbox wait for the network). Rejects with chat_offline_passphrase_wrong, changing nothing.
   */
  unlockOffline(passphrase: string): Promise<void>;
  backUpNow(): Promise<void>;
  /** How many bytes of files backups carry, the newest first: 0 (none, the default) up to MAX_BACKUP_ATTACHMENT_BYTES. */
  backupAttachmentLimit(): Promise<number>;
  /** Sets it (clamped to 0..MAX_BACKUP_ATTACHMENT_BYTES) and backs up again when the backup is on. */
  setBackupAttachmentLimit(bytes: number): Promise<void>;
}

/**
 * What the UI holds: the commands and the snapshot, from the engine in the tab that owns this
 * browser's keys or from a stand-in in any other tab that works through it (engine/tabs).
 */
export interface ChatEngineView extends ChatEngineCommands {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ChatSnapshot;
}
