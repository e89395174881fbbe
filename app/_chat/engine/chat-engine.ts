// The chat engine: one per signed-in person and tab. It owns this browser's chat storage, sets the
// device up (new, linked or restored), and runs the receiver, the outbox and the backup. The UI
// reads immutable snapshots and gives commands (types.ts). Loaded lazily with the crypto core.
import {
  computeSafetyNumber,
  compareScannedSafetyNumber,
  createLinkRequest,
  deriveLinkKeys,
  IdentityKey,
  IdentityKeyPair,
  isCryptoError,
  loadCryptoCore,
  normalizeLinkCode,
  openLinkResponse,
  RecoveryKey,
  systemRandom,
  type ProtocolAddress,
} from "../crypto";
import { chatStorageExists, deleteChatStorage, openChatStorage, type ChatStorage } from "../storage";
import { serverErrorOf } from "./api-errors";
import { decodeJsonWithBytes, type BackupPayload, type LinkSecrets } from "./backup-payload";
import { BackupService, BackupWorkerClient, downloadBackup } from "./backup-service";
import { fromBase64Url, toBase64Url } from "./base64url";
import { describeThisBrowser } from "./browser-name";
import { MAX_TEXT_LENGTH, type ChatContent } from "./chat-content";
import { ChatEngineError } from "./chat-engine-error";
import { fetchVerifiedList, knownContact, refreshContact, replaceOwnList } from "./device-lists";
import type { ChatApiClient, ChatMe, EngineContext } from "./engine-context";
import { LinkOffer } from "./link-offer";
import { Outbox } from "./outbox";
import { createDeviceKeys, maintainPreKeys } from "./prekeys";
import { Receiver } from "./receiver";
import { STARTING_SNAPSHOT } from "./starting-snapshot";
import { KV, type AccountRecord, type BackupSettings, type ContactRecord, type ConversationRecord, type DeviceEntry, type MessageRecord, type OutboxRecord } from "./records";
import type {
  BackupKind,
  ChatEngineCommands,
  ChatMessage,
  ChatPerson,
  ChatSnapshot,
  ConversationNotice,
  ConversationSummary,
  DeliveryState,
  DeviceView,
  EngineStatus,
  SafetyNumberView,
  SearchHit,
} from "./types";

const PAGE_SIZE = 100;
const LINK_POLL_MS = 1_500;
const RECEIPT_DELAY_MS = 300;

interface Thread {
  records: MessageRecord[];
  hasOlder: boolean;
  loading: boolean;
  view: { messages: readonly ChatMessage[]; notices: readonly ConversationNotice[]; hasOlder: boolean };
}

const EMPTY_VIEW = { messages: [], notices: [], hasOlder: false } as const;
const rank: Record<DeliveryState, number> = { failed: 0, sending: 1, sent: 2, delivered: 3 };

export class ChatEngine implements ChatEngineCommands {
  private snapshot: ChatSnapshot = STARTING_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private readonly client: ChatApiClient;
  private readonly me: ChatMe;
  private readonly random = systemRandom;
  private readonly now = () => Date.now();
  private readonly backupWorker = new BackupWorkerClient();

  private stopped = false;
  private releaseLock: (() => void) | null = null;
  private storageSecret: Uint8Array | null = null;
  private ctx: EngineContext | null = null;
  private outbox: Outbox | null = null;
  private receiver: Receiver | null = null;
  private backup: BackupService | null = null;
  private linkOffer: LinkOffer | null = null;
  private readonly conversations = new Map<string, ConversationRecord>();
  private readonly contacts = new Map<string, ContactRecord>();
  private readonly threads = new Map<string, Thread>();
  private readonly people = new Map<string, ChatPerson>();
  private readonly pendingReceipts = new Map<string, string[]>();
  private receiptTimer: ReturnType<typeof setTimeout> | null = null;
  private preKeyMaintenance: Promise<void> | null = null;
  private readonly onOnline = () => this.outbox?.kick(true);

  constructor(options: { client: ChatApiClient; me: ChatMe }) {
    this.client = options.client;
    this.me = options.me;
  }

  // ── React binding ────────────────────────────────────────────────────────────────────────────

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ChatSnapshot => this.snapshot;

  private update(change: Partial<ChatSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  private setStatus(status: EngineStatus): void {
    this.update({ status });
  }

  // ── Life cycle ───────────────────────────────────────────────────────────────────────────────

  start(): void {
    void this.boot().catch((error: unknown) => {
      const { code } = toEngineError(error);
      // Opening the storage needs the server's storage secret: offline, wait for the network.
      if (code === "chat_offline") window.addEventListener("online", () => !this.stopped && this.start(), { once: true });
      this.setStatus({ kind: "failed", code: code === "chat_unexpected" ? "chat_storage_failed" : code });
    });
  }

  stop(): void {
    this.stopped = true;
    this.receiver?.stop();
    this.outbox?.stop();
    this.backup?.stop();
    this.backupWorker.terminate();
    void this.linkOffer?.cancel();
    if (this.receiptTimer) clearTimeout(this.receiptTimer);
    window.removeEventListener("online", this.onOnline);
    this.ctx?.storage.close();
    this.releaseLock?.();
  }

  private async boot(): Promise<void> {
    if (!this.releaseLock && !(await this.acquireTabLock())) return this.setStatus({ kind: "other-tab" });
    this.setStatus({ kind: "starting" });
    const [{ secret }] = await Promise.all([this.client.chat.storage.secret.mutate(), loadCryptoCore()]);
    this.storageSecret = fromBase64Url(secret);
    if (await chatStorageExists(this.me.userId)) {
      const storage = await openChatStorage({ userId: this.me.userId, storageSecret: this.storageSecret });
      const account = await storage.getValue<AccountRecord>(KV.account);
      if (account) return this.run(storage, account);
      // A set-up that never finished: start over.
      storage.close();
      await deleteChatStorage(this.me.userId);
    }
    await this.offerSetup();
  }

  /** One tab owns the chat storage; the others say so (Web Locks, released when the tab closes). */
  private acquireTabLock(): Promise<boolean> {
    if (!("locks" in navigator)) return Promise.resolve(true);
    return new Promise((resolve) => {
      void navigator.locks.request(`hearth-chat:${this.me.userId}`, { ifAvailable: true }, (lock) => {
        if (!lock || this.stopped) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise<void>((release) => (this.releaseLock = release));
      });
    });
  }

  private async offerSetup(): Promise<void> {
    const [list, backups] = await Promise.all([
      fetchVerifiedList(this.client, this.me.userId).catch(() => null),
      this.client.chat.backup.status.query(),
    ]);
    this.setStatus({ kind: "needs-setup", otherDevices: list?.devices.map((d) => d.name) ?? [], backups: backups.map((b) => b.kind) });
  }

  private context(storage: ChatStorage, account: AccountRecord): EngineContext {
    return {
      client: this.client,
      me: this.me,
      storage,
      random: this.random,
      now: this.now,
      accountKeyPair: IdentityKeyPair.deserialize(account.accountKeyPair),
      device: account.device,
    };
  }

  /** Starts the running engine on a set-up device. */
  private async run(storage: ChatStorage, account: AccountRecord): Promise<void> {
    const ctx = this.context(storage, account);
    this.ctx = ctx;
    for (const conversation of await storage.listConversations<ConversationRecord>()) {
      this.conversations.set(conversation.id, conversation);
      if (conversation.peer.handle) this.people.set(conversation.id, conversation.peer);
      const contact = await storage.getValue<ContactRecord>(KV.contact(conversation.id));
      if (contact) this.contacts.set(contact.userId, contact);
    }
    this.outbox = new Outbox(ctx, {
      sent: (item) => void this.onSent(item),
      failing: (item) => void this.onFailing(item),
      identityChanged: (userId) => void this.onIdentityChanged(userId),
    });
    this.receiver = new Receiver(ctx, {
      connection: (connection) => this.update({ connection }),
      connected: () => {
        this.outbox?.kick(true);
        // One top-up at a time: two at once would store different private keys under the same ids.
        this.preKeyMaintenance ??= maintainPreKeys(ctx)
          .catch(() => undefined)
          .finally(() => (this.preKeyMaintenance = null));
      },
      received: (sender, content) => this.onReceived(sender, content),
      identityChanged: (userId) => void this.onIdentityChanged(userId),
      revoked: () => void this.onRevoked(),
    });
    this.backup = new BackupService(ctx, this.backupWorker, (backup) => this.update({ backup }));
    await this.backup.load();
    this.publishConversations();
    this.setStatus({ kind: "ready" });
    window.addEventListener("online", this.onOnline);
    this.receiver.start();
    this.outbox.kick(true);
  }

  private ready(): EngineContext {
    if (!this.ctx) throw new ChatEngineError("chat_not_ready");
    return this.ctx;
  }

  // ── Setting up this browser ──────────────────────────────────────────────────────────────────

  /** New device keys, a new storage for them, registered with the server. */
  private async createDevice(): Promise<{ storage: ChatStorage; account: Omit<AccountRecord, "accountKeyPair">; entry: DeviceEntry }> {
    if (!this.storageSecret) throw new ChatEngineError("chat_not_ready");
    this.setStatus({ kind: "working", step: "creating-keys", progress: null });
    const identityKeyPair = IdentityKeyPair.generate(this.random);
    const storage = await openChatStorage({ userId: this.me.userId, storageSecret: this.storageSecret, identityKeyPair });
    try {
      const { upload, ids } = await createDeviceKeys({ storage, identityKeyPair, random: this.random, now: this.now() });
      this.setStatus({ kind: "working", step: "registering", progress: null });
      const registered = await this.client.chat.devices.register.mutate(upload);
      const name = describeThisBrowser();
      return {
        storage,
        account: { device: { rowId: registered.id, deviceId: registered.deviceId, name }, ...ids },
        entry: { rowId: registered.id, deviceId: registered.deviceId, identityKey: identityKeyPair.identityKey.serialize(), name, addedAt: this.now() },
      };
    } catch (error) {
      storage.close();
      await deleteChatStorage(this.me.userId);
      throw error;
    }
  }

  /** Runs a set-up; on failure removes what it made and offers set-up again. */
  private async setUp(work: () => Promise<void>): Promise<void> {
    if (this.snapshot.status.kind !== "needs-setup") throw new ChatEngineError("chat_not_ready");
    try {
      await work();
    } catch (error) {
      this.ctx?.storage.close();
      this.ctx = null;
      await deleteChatStorage(this.me.userId).catch(() => undefined);
      await this.offerSetup().catch(() => undefined);
      throw toEngineError(error);
    }
  }

  async setUpNewDevice(): Promise<void> {
    await this.setUp(async () => {
      const { storage, account: base, entry } = await this.createDevice();
      const accountKeyPair = IdentityKeyPair.generate(this.random);
      const account: AccountRecord = { ...base, accountKeyPair: accountKeyPair.serialize() };
      const ctx = this.context(storage, account);
      this.ctx = ctx;
      // Starting over: the account's other devices cannot be reached with the new key; remove them.
      for (const device of await this.client.chat.devices.list.query()) {
        if (device.id !== entry.rowId) await this.client.chat.devices.revoke.mutate({ deviceId: device.id });
      }
      await replaceOwnList(ctx, [entry]);
      await storage.setValue(KV.account, account);
      await this.run(storage, account);
    });
  }

  async linkWithCode(code: string): Promise<void> {
    let normalized: string;
    try {
      normalized = normalizeLinkCode(code);
    } catch {
      throw new ChatEngineError("chat_link_code_invalid");
    }
    const lookupId = toBase64Url(deriveLinkKeys(normalized).lookupId);
    try {
      await this.client.chat.link.get.query({ lookupId });
    } catch (error) {
      throw new ChatEngineError(serverErrorOf(error).code === "NOT_FOUND" ? "chat_link_wrong_code" : "chat_offline");
    }
    await this.setUp(async () => {
      const { storage, account: base, entry } = await this.createDevice();
      try {
        const identityKey = await storage.protocol.identity.getIdentityKeyPair();
        const { request, ephemeral } = createLinkRequest({
          code: normalized,
          deviceIdentityKey: identityKey.identityKey,
          deviceRowId: entry.rowId,
          deviceId: entry.deviceId,
          deviceName: entry.name,
          random: this.random,
        });
        await this.client.chat.link.request.mutate({ lookupId, request: toBase64Url(request) });
        this.setStatus({ kind: "working", step: "waiting-for-approval", progress: null });
        const response = await this.waitForLinkResponse(lookupId);
        let secrets: LinkSecrets;
        try {
          secrets = decodeJsonWithBytes<LinkSecrets>(openLinkResponse({ code: normalized, request, ephemeral, response }));
        } catch {
          throw new ChatEngineError("chat_link_wrong_code");
        }
        void this.client.chat.link.close.mutate({ lookupId }).catch(() => undefined);
        const account: AccountRecord = { ...base, accountKeyPair: secrets.accountKeyPair };
        const ctx = this.context(storage, account);
        this.ctx = ctx;
        await this.adoptOwnList(ctx, entry);
        for (const contact of secrets.contacts) await storage.setValue(KV.contact(contact.userId), contact);
        if (secrets.backup) await storage.setValue(KV.backup, secrets.backup);
        await storage.setValue(KV.account, account);
        await this.run(storage, account);
      } catch (error) {
        await this.client.chat.devices.revoke.mutate({ deviceId: entry.rowId }).catch(() => undefined);
        throw error;
      }
    });
  }

  private async waitForLinkResponse(lookupId: string): Promise<Uint8Array> {
    for (;;) {
      if (this.stopped) throw new ChatEngineError("chat_link_expired");
      await new Promise((resolve) => setTimeout(resolve, LINK_POLL_MS));
      try {
        const slot = await this.client.chat.link.get.query({ lookupId });
        if (slot.response) return fromBase64Url(slot.response);
      } catch (error) {
        const { code, network } = serverErrorOf(error);
        if (code === "NOT_FOUND") throw new ChatEngineError("chat_link_expired");
        if (!network) throw error;
      }
    }
  }

  /** A linked or restored device: our list as published must be signed by our account key and name us. */
  private async adoptOwnList(ctx: EngineContext, self: DeviceEntry): Promise<void> {
    const list = await fetchVerifiedList(ctx.client, ctx.me.userId);
    const sameAccount = !!list && list.accountKey.equals(ctx.accountKeyPair.identityKey);
    const others = sameAccount ? list.devices.filter((d) => d.rowId !== self.rowId) : [];
    const listed = sameAccount && list.devices.some((d) => d.rowId === self.rowId);
    if (listed) {
      // Linked: the existing device signed us in; trust that list.
      await ctx.storage.setValue<ContactRecord>(KV.contact(ctx.me.userId), {
        userId: ctx.me.userId,
        accountKey: ctx.accountKeyPair.identityKey.serialize(),
        listVersion: 0,
        devices: [],
        verified: true,
        identityChanged: false,
      });
      const { changed } = await refreshContact(ctx, ctx.me.userId);
      if (changed) throw new ChatEngineError("chat_link_failed");
      return;
    }
    await replaceOwnList(ctx, [...others, self]);
  }

  async restoreFromBackup(secret: { recoveryKey: string } | { passphrase: string }): Promise<void> {
    const kind: BackupKind = "recoveryKey" in secret ? "recoveryKey" : "passphrase";
    let workerSecret = secret;
    if ("recoveryKey" in secret) {
      try {
        workerSecret = { recoveryKey: RecoveryKey.parse(secret.recoveryKey).digits };
      } catch {
        throw new ChatEngineError("chat_recovery_key_invalid");
      }
    }
    await this.setUp(async () => {
      this.setStatus({ kind: "working", step: "downloading-backup", progress: null });
      const blob = await downloadBackup(kind);
      if (!blob) throw new ChatEngineError("chat_backup_not_found");
      this.setStatus({ kind: "working", step: "deriving-key", progress: null });
      const payload = decodeJsonWithBytes<BackupPayload>(await this.backupWorker.run("open", blob, workerSecret));
      if (payload.v !== 1 || payload.userId !== this.me.userId) throw new ChatEngineError("chat_backup_failed");
      const { storage, account: base, entry } = await this.createDevice();
      const account: AccountRecord = { ...base, accountKeyPair: payload.accountKeyPair };
      const ctx = this.context(storage, account);
      this.ctx = ctx;
      await this.adoptOwnList(ctx, entry);
      this.setStatus({ kind: "working", step: "restoring", progress: 0 });
      for (const contact of payload.contacts) await storage.setValue(KV.contact(contact.userId), contact);
      await storage.putConversations(payload.conversations);
      const BATCH = 500;
      for (let i = 0; i < payload.messages.length; i += BATCH) {
        await storage.putMessages(payload.messages.slice(i, i + BATCH));
        this.setStatus({ kind: "working", step: "restoring", progress: Math.min(1, (i + BATCH) / payload.messages.length) });
      }
      const status = await this.client.chat.backup.status.query();
      if (payload.backup) {
        await storage.setValue<BackupSettings>(KV.backup, {
          ...payload.backup,
          lastBackupAt: null,
          version: Math.max(0, ...status.map((s) => s.version)),
        });
      }
      await storage.setValue(KV.account, account);
      await this.run(storage, account);
    });
  }

  /** Another device removed this one: its keys are useless now; start over. */
  /**
   * The server no longer lists this device. Its storage stays: the history on it is the person's,
   * and may exist nowhere else, so it remains downloadable until they choose to set up again.
   */
  private async onRevoked(): Promise<void> {
    const ownAccountKey = this.ctx?.accountKeyPair.identityKey ?? null;
    this.receiver?.stop();
    this.outbox?.stop();
    this.backup?.stop();
    this.ctx?.storage.close();
    this.ctx = null;
    this.conversations.clear();
    this.threads.clear();
    this.update({ conversations: [], connection: "connecting" });
    const list = await fetchVerifiedList(this.client, this.me.userId).catch(() => null);
    const newIdentity = !!list && !!ownAccountKey && !list.accountKey.equals(ownAccountKey);
    this.setStatus({ kind: "cut-off", reason: newIdentity ? "new-identity" : "removed", by: newIdentity ? (list.devices[0]?.name ?? null) : null });
  }

  async saveHistory(): Promise<number> {
    const { saveMessageHistory } = await import("../export/message-history");
    const day = new Date(this.now()).toISOString().slice(0, 10);
    return saveMessageHistory({ client: this.client, userId: this.me.userId, fileName: `hearth-messages-${day}.json` });
  }

  async discardAndSetUpAgain(): Promise<void> {
    if (this.snapshot.status.kind !== "cut-off") throw new ChatEngineError("chat_not_ready");
    await deleteChatStorage(this.me.userId);
    await this.offerSetup();
  }

  // ── Conversations ────────────────────────────────────────────────────────────────────────────

  private publishConversations(): void {
    const summaries: ConversationSummary[] = [...this.conversations.values()]
      .filter((c) => c.lastMessage)
      .sort((a, b) => b.lastActivityAt - a.lastActivityAt)
      .map((c) => {
        const contact = this.contacts.get(c.id);
        const last = c.lastMessage;
        return {
          id: c.id,
          peer: c.peer,
          lastMessage: last ? { body: last.body, at: last.at, outgoing: last.outgoing, state: last.state } : null,
          unread: c.unread,
          verified: contact?.verified ?? false,
          identityChanged: contact?.identityChanged ?? false,
        };
      });
    this.update({ conversations: summaries });
  }

  /** The person behind a user id, from the cache or the directory. */
  private async person(userId: string): Promise<ChatPerson> {
    const known = this.people.get(userId);
    if (known) return known;
    const [found] = await this.client.chat.directory.byIds.query({ userIds: [userId] }).catch(() => []);
    const person = found ?? { userId, handle: "", displayName: "", avatarUrl: null };
    if (found) this.people.set(userId, person);
    return person;
  }

  async openConversation(handle: string): Promise<ChatPerson> {
    const ctx = this.ready();
    let person: ChatPerson;
    try {
      person = await this.client.chat.directory.byHandle.query({ handle });
    } catch (error) {
      const { appCode, code } = serverErrorOf(error);
      throw new ChatEngineError(appCode === "BLOCKED" ? "chat_blocked" : code === "NOT_FOUND" || code === "BAD_REQUEST" ? "chat_person_not_found" : "chat_offline");
    }
    this.people.set(person.userId, person);
    const known = this.conversations.get(person.userId);
    if (known && (known.peer.displayName !== person.displayName || known.peer.avatarUrl !== person.avatarUrl || known.peer.handle !== person.handle)) {
      await this.saveConversation({ ...known, peer: person });
    }
    // Checks now that they can receive messages, and notices a changed key before anything is sent.
    try {
      const { changed } = await refreshContact(ctx, person.userId);
      if (changed) await this.onIdentityChanged(person.userId);
      else this.contacts.set(person.userId, (await ctx.storage.getValue<ContactRecord>(KV.contact(person.userId)))!);
    } catch (error) {
      if (error instanceof ChatEngineError) throw error;
      if (!serverErrorOf(error).network) throw toEngineError(error);
    }
    return person;
  }

  private async saveConversation(conversation: ConversationRecord): Promise<void> {
    this.conversations.set(conversation.id, conversation);
    await this.ready().storage.putConversation(conversation);
    this.publishConversations();
  }

  /** Records a message (idempotent by id) and moves its conversation up. Returns false when it was known. */
  private async storeMessage(record: MessageRecord, options: { unread: boolean }): Promise<boolean> {
    const ctx = this.ready();
    if (await ctx.storage.getMessage(record.id)) return false;
    await ctx.storage.putMessage(record);
    this.addToThread(record);
    const existing = this.conversations.get(record.conversationId);
    const peer = existing?.peer.handle ? existing.peer : await this.person(record.conversationId);
    const base: ConversationRecord = existing ?? { id: record.conversationId, lastActivityAt: 0, peer, lastMessage: null, unread: 0 };
    const newer = record.kind === "message" && record.sortAt >= base.lastActivityAt;
    await this.saveConversation({
      ...base,
      peer,
      lastActivityAt: Math.max(base.lastActivityAt, record.sortAt),
      lastMessage: newer ? { id: record.id, body: record.body, at: record.sentAt, outgoing: record.outgoing, state: record.state } : base.lastMessage,
      unread: base.unread + (options.unread ? 1 : 0),
    });
    this.backup?.schedule();
    return true;
  }

  private async setMessageState(id: string, state: DeliveryState, options: { onlyUpgrade: boolean; from?: string }): Promise<void> {
    const ctx = this.ready();
    const record = await ctx.storage.getMessage<MessageRecord>(id);
    if (!record || !record.outgoing || record.state === state) return;
    if (options.from && record.conversationId !== options.from) return;
    if (options.onlyUpgrade && record.state && rank[record.state] >= rank[state]) return;
    const next = { ...record, state };
    await ctx.storage.putMessage(next);
    this.addToThread(next);
    const conversation = this.conversations.get(record.conversationId);
    if (conversation?.lastMessage?.id === id) await this.saveConversation({ ...conversation, lastMessage: { ...conversation.lastMessage, state } });
    else this.publishConversations();
  }

  // ── Threads (loaded messages per conversation) ───────────────────────────────────────────────

  messages(conversationId: string): Thread["view"] {
    const thread = this.threads.get(conversationId);
    if (thread) return thread.view;
    if (this.ctx) void this.loadOlder(conversationId);
    return EMPTY_VIEW;
  }

  async loadOlder(conversationId: string): Promise<void> {
    const ctx = this.ready();
    let thread = this.threads.get(conversationId);
    if (thread?.loading || (thread && !thread.hasOlder)) return;
    if (!thread) {
      thread = { records: [], hasOlder: true, loading: false, view: EMPTY_VIEW };
      this.threads.set(conversationId, thread);
    }
    thread.loading = true;
    try {
      const before = thread.records[0]?.sortAt;
      const page = await ctx.storage.listMessages<MessageRecord>(conversationId, { ...(before !== undefined ? { before } : {}), limit: PAGE_SIZE });
      const known = new Set(thread.records.map((r) => r.id));
      thread.records = [...page.filter((r) => !known.has(r.id)), ...thread.records];
      thread.hasOlder = page.length >= PAGE_SIZE;
    } finally {
      thread.loading = false;
    }
    this.refreshView(conversationId, thread);
  }

  private addToThread(record: MessageRecord): void {
    const thread = this.threads.get(record.conversationId);
    if (!thread) return;
    const index = thread.records.findIndex((r) => r.id === record.id);
    if (index >= 0) thread.records = thread.records.with(index, record);
    else {
      const at = thread.records.findLastIndex((r) => r.sortAt <= record.sortAt);
      thread.records = [...thread.records.slice(0, at + 1), record, ...thread.records.slice(at + 1)];
    }
    this.refreshView(record.conversationId, thread);
  }

  private refreshView(conversationId: string, thread: Thread): void {
    const messages: ChatMessage[] = [];
    const notices: ConversationNotice[] = [];
    for (const r of thread.records) {
      if (r.kind === "notice" && r.notice) notices.push({ id: r.id, conversationId, kind: r.notice, at: r.sortAt });
      else if (r.kind === "message") messages.push({ id: r.id, conversationId, outgoing: r.outgoing, body: r.body, sentAt: r.sentAt, state: r.state });
    }
    thread.view = { messages, notices, hasOlder: thread.hasOlder };
    this.update({});
  }

  // ── Sending and receiving ────────────────────────────────────────────────────────────────────

  async sendText(conversationId: string, body: string): Promise<void> {
    this.ready();
    const text = body.trim();
    if (!text) return;
    if (text.length > MAX_TEXT_LENGTH) throw new ChatEngineError("chat_too_long");
    const id = crypto.randomUUID();
    const sentAt = this.now();
    await this.storeMessage(
      { id, conversationId, sortAt: sentAt, kind: "message", outgoing: true, body: text, sentAt, state: "sending", notice: null },
      { unread: false },
    );
    await this.outbox!.enqueue({ id, peerUserId: conversationId, content: { t: "text", id, body: text, sentAt }, syncToOwnDevices: true });
  }

  async retry(messageId: string): Promise<void> {
    await this.setMessageState(messageId, "sending", { onlyUpgrade: false });
    await this.outbox?.retry(messageId);
  }

  private async onSent(item: OutboxRecord): Promise<void> {
    if (item.content.t === "text") await this.setMessageState(item.content.id, "sent", { onlyUpgrade: true });
  }

  private async onFailing(item: OutboxRecord): Promise<void> {
    if (item.content.t === "text") await this.setMessageState(item.content.id, "failed", { onlyUpgrade: false });
  }

  private async onReceived(sender: ProtocolAddress, content: ChatContent): Promise<void> {
    const fromSelf = sender.userId === this.me.userId;
    switch (content.t) {
      case "text": {
        if (fromSelf) return;
        await this.storeMessage(
          {
            id: content.id,
            conversationId: sender.userId,
            sortAt: content.sentAt,
            kind: "message",
            outgoing: false,
            body: content.body,
            sentAt: content.sentAt,
            state: null,
            notice: null,
          },
          { unread: true },
        );
        this.queueReceipt(sender.userId, content.id);
        return;
      }
      case "sent": {
        await this.storeMessage(
          { id: content.id, conversationId: content.to, sortAt: content.sentAt, kind: "message", outgoing: true, body: content.body, sentAt: content.sentAt, state: "sent", notice: null },
          { unread: false },
        );
        return;
      }
      case "delivered": {
        if (fromSelf) return;
        for (const id of content.ids) await this.setMessageState(id, "delivered", { onlyUpgrade: true, from: sender.userId });
        return;
      }
    }
  }

  /** "Delivered" goes back to every device of the sender, a few messages per envelope. */
  private queueReceipt(userId: string, messageId: string): void {
    this.pendingReceipts.set(userId, [...(this.pendingReceipts.get(userId) ?? []), messageId]);
    this.receiptTimer ??= setTimeout(() => {
      this.receiptTimer = null;
      for (const [peerUserId, ids] of this.pendingReceipts) {
        for (let i = 0; i < ids.length; i += 100) {
          void this.outbox?.enqueue({ peerUserId, content: { t: "delivered", ids: ids.slice(i, i + 100) }, syncToOwnDevices: false });
        }
      }
      this.pendingReceipts.clear();
    }, RECEIPT_DELAY_MS);
  }

  async markRead(conversationId: string): Promise<void> {
    const conversation = this.conversations.get(conversationId);
    if (!conversation || conversation.unread === 0) return;
    await this.saveConversation({ ...conversation, unread: 0 });
  }

  async search(query: string): Promise<SearchHit[]> {
    const ctx = this.ready();
    const needle = query.trim().toLocaleLowerCase();
    if (!needle) return [];
    const hits: SearchHit[] = [];
    for await (const batch of ctx.storage.iterateMessages<MessageRecord>(500)) {
      for (const r of batch) {
        if (r.kind !== "message" || !r.body.toLocaleLowerCase().includes(needle)) continue;
        const peer = this.conversations.get(r.conversationId)?.peer ?? (await this.person(r.conversationId));
        hits.push({ message: { id: r.id, conversationId: r.conversationId, outgoing: r.outgoing, body: r.body, sentAt: r.sentAt, state: r.state }, peer });
      }
    }
    return hits.sort((a, b) => b.message.sentAt - a.message.sentAt).slice(0, 50);
  }

  // ── Verification ─────────────────────────────────────────────────────────────────────────────

  /** The peer's account key changed: warn in the conversation and reset verification. */
  private async onIdentityChanged(userId: string): Promise<void> {
    const ctx = this.ready();
    const contact = await ctx.storage.getValue<ContactRecord>(KV.contact(userId));
    if (contact) this.contacts.set(userId, contact);
    if (this.conversations.has(userId)) {
      const at = this.now();
      await this.storeMessage(
        { id: crypto.randomUUID(), conversationId: userId, sortAt: at, kind: "notice", outgoing: false, body: "", sentAt: at, state: null, notice: "identity-changed" },
        { unread: false },
      );
    }
    this.publishConversations();
  }

  async safetyNumber(conversationId: string): Promise<SafetyNumberView> {
    const ctx = this.ready();
    const contact = await knownContact(ctx, conversationId);
    const { digits, qrPayload } = computeSafetyNumber({
      local: { identityKey: ctx.accountKeyPair.identityKey, stableId: this.me.userId },
      remote: { identityKey: IdentityKey.deserialize(contact.accountKey), stableId: conversationId },
    });
    return { digits, qrPayload, verified: contact.verified };
  }

  async compareScanned(conversationId: string, scanned: Uint8Array): Promise<boolean> {
    const own = await this.safetyNumber(conversationId);
    let same = false;
    try {
      same = compareScannedSafetyNumber(own.qrPayload, scanned);
    } catch (error) {
      if (!isCryptoError(error)) throw error;
    }
    if (same) await this.setVerified(conversationId, true);
    return same;
  }

  async setVerified(conversationId: string, verified: boolean): Promise<void> {
    await this.updateContact(conversationId, (c) => ({ ...c, verified, identityChanged: verified ? false : c.identityChanged }));
    if (this.conversations.has(conversationId)) {
      const at = this.now();
      await this.storeMessage(
        { id: crypto.randomUUID(), conversationId, sortAt: at, kind: "notice", outgoing: false, body: "", sentAt: at, state: null, notice: verified ? "verified" : "unverified" },
        { unread: false },
      );
    }
  }

  async acknowledgeIdentityChange(conversationId: string): Promise<void> {
    await this.updateContact(conversationId, (c) => ({ ...c, identityChanged: false }));
  }

  private async updateContact(userId: string, change: (contact: ContactRecord) => ContactRecord): Promise<void> {
    const ctx = this.ready();
    const next = await ctx.storage.exclusive(async () => {
      const contact = await ctx.storage.getValue<ContactRecord>(KV.contact(userId));
      if (!contact) throw new ChatEngineError("chat_person_not_found");
      const updated = change(contact);
      await ctx.storage.setValue(KV.contact(userId), updated);
      return updated;
    });
    this.contacts.set(userId, next);
    this.publishConversations();
    this.backup?.schedule();
  }

  // ── Devices ──────────────────────────────────────────────────────────────────────────────────

  async devices(): Promise<DeviceView[]> {
    const ctx = this.ready();
    const { contact } = await refreshContact(ctx, this.me.userId).catch(async (error: unknown) => {
      const known = await ctx.storage.getValue<ContactRecord>(KV.contact(this.me.userId));
      if (!known) throw toEngineError(error);
      return { contact: known };
    });
    return contact.devices.map((d) => ({ id: d.rowId, name: d.name, addedAt: d.addedAt, current: d.rowId === ctx.device.rowId }));
  }

  async removeDevice(id: string): Promise<void> {
    const ctx = this.ready();
    if (id === ctx.device.rowId) throw new ChatEngineError("chat_cannot_remove_this_device");
    try {
      const own = await knownContact(ctx, this.me.userId);
      await replaceOwnList(
        ctx,
        own.devices.filter((d) => d.rowId !== id),
      );
      await this.client.chat.devices.revoke.mutate({ deviceId: id });
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async startLinkOffer(): Promise<void> {
    const ctx = this.ready();
    await this.linkOffer?.cancel();
    const offer = new LinkOffer(ctx, (link) => this.update({ link }));
    this.linkOffer = offer;
    try {
      await offer.start();
    } catch (error) {
      this.update({ link: { kind: "failed", code: toEngineError(error).code } });
    }
  }

  async approveLink(): Promise<void> {
    await this.linkOffer?.approve();
  }

  async cancelLink(): Promise<void> {
    await this.linkOffer?.cancel();
    this.linkOffer = null;
  }

  // ── Backup ───────────────────────────────────────────────────────────────────────────────────

  async enableBackup(): Promise<void> {
    this.ready();
    await this.backup!.enable().catch((error: unknown) => {
      throw toEngineError(error);
    });
  }

  confirmRecoveryKeySaved(): void {
    this.backup?.confirmRecoveryKeySaved();
  }

  async setPassphrase(passphrase: string): Promise<void> {
    this.ready();
    if (passphrase.length < 12) throw new ChatEngineError("chat_passphrase_too_short");
    await this.backup!.setPassphrase(passphrase);
  }

  async removePassphrase(): Promise<void> {
    this.ready();
    await this.backup!.setPassphrase(null);
  }

  async backUpNow(): Promise<void> {
    this.ready();
    await this.backup!.backUpNow().catch((error: unknown) => {
      throw toEngineError(error);
    });
  }
}

function toEngineError(error: unknown): ChatEngineError {
  if (error instanceof ChatEngineError) return error;
  const { code, appCode, network } = serverErrorOf(error);
  if (network || (error instanceof TypeError && /fetch/i.test(error.message))) return new ChatEngineError("chat_offline", { cause: error });
  if (code === "TOO_MANY_REQUESTS") return new ChatEngineError("chat_rate_limited", { cause: error });
  if (appCode === "BLOCKED") return new ChatEngineError("chat_blocked", { cause: error });
  return new ChatEngineError("chat_unexpected", { cause: error });
}
