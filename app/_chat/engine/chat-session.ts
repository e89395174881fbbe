// The running engine on a set-up device: its parts made for one open storage, and the paths
// between them. What the receiver hands over is stored (and acknowledged by the receiver after);
// text gets a delivery receipt back; the outbox's progress becomes the message's state; files go
// up and come down through Attachments; every stored change schedules a backup. Made by the façade (chat-engine.ts) once set up.
import type { ProtocolAddress } from "../crypto";
import { refsOf, storedFromRefs } from "./attachments/attachment-view";
import { Attachments } from "./attachments/attachments";
import { BackupService } from "./backup-service";
import { CallSignals } from "./calls/call-signals";
import type { BackupWorker } from "./backup-worker-client";
import { MAX_TEXT_LENGTH, type ChatContent } from "./chat-content";
import { ChatEngineError } from "./chat-engine-error";
import { conversationIdOf } from "./content-routing";
import { Conversations } from "./conversations";
import { GroupKeys } from "./groups/group-keys";
import { Groups } from "./groups/groups";
import { DeliveryReceipts } from "./delivery-receipts";
import { DisappearingMessages } from "./disappearing-messages";
import type { EngineContext } from "./engine-context";
import type { EngineEnvironment } from "./engine-environment";
import { DeviceSettings } from "./device-settings";
import { MessageActions } from "./message-actions";
import { authorOf, messageRecord, quoteSnapshot } from "./message-record";
import { toEngineError } from "./to-engine-error";
import { frankingProofOf, messageReport, newFrankingKey } from "./message-franking";
import { Outbox } from "./outbox";
import { OwnDevices } from "./own-devices";
import { PENDING_HISTORY_KEY, receiveHistory, sendHistory, type HistoryContent } from "./history-transfer";
import { MessageRequests } from "./message-requests";
import { maintainPreKeys } from "./prekeys";
import { Receiver } from "./receiver";
import { RecipientContacts } from "./recipient-contacts";
import type { EnvelopeDelivery, MessageRecord, OutboxRecord, QuoteSnapshot } from "./records";
import { searchMessages } from "./search-messages";
import { ThreadCache } from "./thread-cache";
import { ViewOnce } from "./view-once";
import { TYPING_STALE_MS, TypingIndicators } from "./typing-indicators";
import type { ChatPerson, ChatSettings, ChatSnapshot, ReportReason, SearchHit } from "./types";

/** A message quoting another: its id, and what this device knew of it then. */
type Reply = { replyTo: string; quote: QuoteSnapshot | null };
import { Verification } from "./verification";

export interface ChatSessionEvents {
  update(change: Partial<ChatSnapshot>): void;
  /** The server refused this device's stream: it is no longer in the account. */
  revoked(): void;
}

export class ChatSession {
  readonly threads: ThreadCache;
  readonly conversations: Conversations;
  readonly verification: Verification;
  readonly devices: OwnDevices;
  readonly backup: BackupService;
  readonly groups: Groups;
  readonly attachments: Attachments;
  readonly calls: CallSignals;
  readonly requests: MessageRequests;
  readonly actions: MessageActions;
  readonly typing: TypingIndicators;
  readonly settings: DeviceSettings;
  readonly disappearing: DisappearingMessages;
  readonly viewOnce: ViewOnce;
  private readonly receipts: DeliveryReceipts;
  private readonly readReceipts: DeliveryReceipts;
  private readonly outbox: Outbox;
  private readonly receiver: Receiver;
  private preKeyMaintenance: Promise<void> | null = null;
  private stopped = false;
  /** Ends transfers of a linked device's history when the session stops. */
  private readonly stopSignal = new AbortController();
  private historyRunning = false;
  private readonly receiveHistoryFrom: (content: HistoryContent) => Promise<void>;

  constructor(
    readonly ctx: EngineContext,
    env: EngineEnvironment,
    backupWorker: BackupWorker,
    events: ChatSessionEvents,
  ) {
    const changed = () => this.backup.schedule();
    this.settings = new DeviceSettings(ctx.storage, (settings) => events.update({ settings }));
    this.threads = new ThreadCache(
      ctx.storage,
      (userId) => this.conversations.personNow(userId),
      ctx.me.userId,
      () => events.update({}),
      () => this.settings.current.readReceipts,
    );
    this.conversations = new Conversations(ctx, this.threads, {
      publish: ({ conversations, requests }) => events.update({ conversations, requests }),
      changed,
      identityChanged: (userId) => this.verification.identityChanged(userId),
      peopleKnown: () => {
        this.threads.refreshAll();
        this.typing.publish();
      },
      shown: (record) => this.attachments.shown(record),
      stored: (record) => {
        this.disappearing.track(record);
        this.viewOnce.stored(record);
      },
    });
    const groupKeys = new GroupKeys(ctx);
    this.verification = new Verification(ctx, this.conversations, changed);
    const retry = { baseMs: env.delays.attachmentRetryMs, onOnline: env.onOnline };
    this.devices = new OwnDevices(
      ctx,
      (link) => events.update({ link }),
      env.delays.linkPollMs,
      (deviceRowId, onProgress) =>
        sendHistory({
          ctx,
          transport: env.attachmentTransport,
          retry,
          deviceRowId,
          signal: this.stopSignal.signal,
          onProgress,
          // Pairwise to that device alone: our other devices have their own history.
          send: (content) =>
            this.outbox.enqueue({ peerUserId: ctx.me.userId, content, syncToOwnDevices: false, onlyDevices: [deviceRowId] }).then(() => undefined),
        }),
    );
    this.receiveHistoryFrom = (content) =>
      receiveHistory({
        ctx,
        transport: env.attachmentTransport,
        retry,
        content,
        signal: this.stopSignal.signal,
        onProgress: (progress) => events.update({ historyTransfer: { progress } }),
        merge: async (chunk) => {
          // Disappearing messages keep their expiry here too.
          for (const record of await this.conversations.mergeHistory(chunk)) this.disappearing.track(record);
        },
      }).finally(() => events.update({ historyTransfer: null }));
    this.backup = new BackupService(ctx, { worker: backupWorker, transport: env.backupTransport, debounceMs: env.delays.backupMs }, (backup) =>
      events.update({ backup }),
    );
    this.outbox = new Outbox(ctx, groupKeys, {
      sent: (item) => this.settle(this.onSent(item)),
      waiting: (item) => this.settle(this.onWaiting(item)),
      failing: (item) => this.settle(this.onFailing(item)),
      identityChanged: (userId) => void this.verification.identityChanged(userId),
      groupMembers: async (groupId) => this.groups.members(groupId),
    });
    this.groups = new Groups(ctx, this.conversations, this.outbox, groupKeys, env.media, (userId) => this.requests.fromStranger(userId));
    this.attachments = new Attachments({
      ctx,
      transport: env.attachmentTransport,
      media: env.media,
      retry: { baseMs: env.delays.attachmentRetryMs, onOnline: env.onOnline },
      conversations: this.conversations,
      contacts: new RecipientContacts(ctx, (userId) => void this.verification.identityChanged(userId)),
      show: (record) => this.threads.put(record),
      send: (record) => this.enqueueText(record),
    });
    this.disappearing = new DisappearingMessages(ctx, this.conversations, {
      send: (conversationId, content) => this.sendToConversation(conversationId, content),
      attachments: this.attachments,
      checkEveryMs: env.delays.expiryCheckMs,
    });
    this.viewOnce = new ViewOnce(ctx, this.conversations, this.attachments, (conversationId, content) => this.sendToConversation(conversationId, content));
    this.calls = new CallSignals(ctx, this.conversations, this.outbox, { changed: () => events.update({}) });
    this.receipts = new DeliveryReceipts((peerUserId, ids) => this.sendReceipt(peerUserId, { t: "delivered", ids }), env.delays.receiptMs);
    this.readReceipts = new DeliveryReceipts((peerUserId, ids) => this.sendReceipt(peerUserId, { t: "read", ids }), env.delays.receiptMs);
    this.actions = new MessageActions({
      ctx,
      conversations: this.conversations,
      attachments: this.attachments,
      send: (conversationId, content) => this.sendToConversation(conversationId, content),
      sendToOwnDevices: (content) => this.outbox.enqueue({ recipientIds: [ctx.me.userId], content }).then(() => undefined),
    });
    this.typing = new TypingIndicators({
      now: ctx.now,
      enabled: () => this.settings.current.typingIndicators,
      // Never into a message request: its sender learns nothing until it is accepted (Conversations.mayTell).
      send: async (conversationId, typing, at) => {
        if (this.conversations.mayTell(conversationId))
          await this.sendToConversation(conversationId, { t: "typing", typing, at }, undefined, { staleAfterMs: TYPING_STALE_MS });
      },
      personNow: (userId) => this.conversations.personNow(userId),
      publish: (typing) => events.update({ typing }),
    });
    this.requests = new MessageRequests(ctx, {
      conversations: this.conversations,
      outbox: this.outbox,
      receipts: this.receipts,
      downloadAutomatically: (record) => this.attachments.received(record),
      leaveGroup: (groupId) => this.groups.leave(groupId),
    });
    this.receiver = new Receiver(ctx, groupKeys, {
      connection: (connection) => events.update({ connection }),
      connected: () => {
        this.outbox.kick(true);
        // One top-up at a time: two at once would store different private keys under the same ids.
        this.preKeyMaintenance ??= maintainPreKeys(ctx)
          .catch(() => undefined)
          .finally(() => (this.preKeyMaintenance = null));
      },
      received: (sender, content, delivery) => this.onReceived(sender, content, delivery),
      identityChanged: (userId) => void this.verification.identityChanged(userId),
      revoked: events.revoked,
    });
  }

  /** Reads what the UI shows first: conversations and the backup's state. */
  async load(): Promise<void> {
    await this.settings.load();
    await this.conversations.load();
    await this.backup.load();
    await this.calls.load();
  }

  /** Opens the stream and sends whatever waits in the outbox; puts right transfers a closed tab left. */
  start(): void {
    this.receiver.start();
    this.outbox.kick(true);
    this.settle(this.attachments.recover());
    this.settle(this.disappearing.start());
    this.settle(this.ctx.storage.getValue<HistoryContent>(PENDING_HISTORY_KEY).then((pending) => (pending ? this.takeHistory(pending) : undefined)));
  }

  /**
   * The history our existing device sent when this one was linked: kept until merged, so a closed
   * tab resumes it; dropped when it cannot be had (a blob gone, or it does not decrypt).
   */
  private async takeHistory(content: HistoryContent): Promise<void> {
    if (this.historyRunning) return;
    this.historyRunning = true;
    try {
      await this.ctx.storage.setValue(PENDING_HISTORY_KEY, content);
      await this.receiveHistoryFrom(content);
      await this.ctx.storage.deleteValue(PENDING_HISTORY_KEY);
    } catch (error) {
      const code = error instanceof ChatEngineError ? error.code : null;
      if (!this.stopped && code !== "chat_offline" && code !== "chat_attachment_cancelled") await this.ctx.storage.deleteValue(PENDING_HISTORY_KEY);
    } finally {
      this.historyRunning = false;
    }
  }

  /** Reconnects and sends what waits now (the browser came back online). */
  retryNow(): void {
    this.receiver.reconnectNow();
    this.outbox.kick(true);
  }

  /** Stops every part and closes the storage. */
  stop(): void {
    this.stopped = true;
    this.stopSignal.abort();
    this.receiver.stop();
    this.outbox.stop();
    this.backup.stop();
    this.receipts.stop();
    this.readReceipts.stop();
    this.typing.stop();
    this.attachments.stop();
    this.calls.stop();
    this.disappearing.stop();
    void this.devices.cancelLink();
    this.ctx.storage.close();
  }

  /** Opens the conversation with the person with `handle`; what waits for them is tried again at once. */
  async openConversation(handle: string): Promise<ChatPerson> {
    const person = await this.conversations.open(handle);
    this.settle(this.outbox.recheck(person.userId));
    return person;
  }

  async sendText(conversationId: string, body: string, replyTo?: string): Promise<void> {
    const text = body.trim();
    if (!text) return;
    if (text.length > MAX_TEXT_LENGTH) throw new ChatEngineError("chat_too_long");
    await this.requests.acceptBeforeWriting(conversationId);
    const id = crypto.randomUUID();
    const sentAt = this.ctx.now();
    const reply = await this.replyIn(conversationId, replyTo);
    const expiresAt = this.disappearing.expiryFor(conversationId, sentAt);
    const record = messageRecord({
      id,
      conversationId,
      body: text,
      sentAt,
      expiresAt,
      outgoing: true,
      state: "sending",
      reply,
      ...this.recipientCount(conversationId),
    });
    await this.conversations.store(record, { unread: false });
    void this.typing.set(conversationId, false).catch(() => undefined);
    await this.enqueueText(record);
  }

  /** Files with a caption: stored at once, uploaded in the background, then sent (attachments/attachments.ts). */
  async sendFiles(conversationId: string, files: readonly File[], caption: string, options: { replyTo?: string; viewOnce?: boolean } = {}): Promise<void> {
    if (!files.length) return this.sendText(conversationId, caption, options.replyTo);
    const body = caption.trim();
    if (body.length > MAX_TEXT_LENGTH) throw new ChatEngineError("chat_too_long");
    // A view-once message is one photo without a caption (chat-content.ts).
    if (options.viewOnce && (files.length !== 1 || body || !files[0]!.type.startsWith("image/"))) throw new ChatEngineError("chat_view_once_one_photo");
    await this.requests.acceptBeforeWriting(conversationId);
    const reply = await this.replyIn(conversationId, options.replyTo);
    await this.attachments.sendFiles({
      conversationId,
      files,
      body,
      reply,
      expiryFor: (sentAt) => this.disappearing.expiryFor(conversationId, sentAt),
      ...(options.viewOnce && { viewOnce: true }),
      ...this.recipientCount(conversationId),
    });
  }

  /** A reply to a message of the same conversation, with what this device knows of it (a foreign id is no reply). */
  private async replyIn(conversationId: string, replyTo: string | undefined): Promise<Reply | undefined> {
    if (!replyTo) return undefined;
    const quoted = await this.ctx.storage.getMessage<MessageRecord>(replyTo);
    if (quoted?.conversationId !== conversationId) return undefined;
    return { replyTo, quote: quoteSnapshot(quoted, this.ctx.me.userId) };
  }

  /** A received reply, with what this device knows of the quoted message (only when it is in the same conversation). */
  private async receivedReply(conversationId: string, replyTo: string | undefined): Promise<Reply | undefined> {
    if (!replyTo) return undefined;
    const quoted = await this.ctx.storage.getMessage<MessageRecord>(replyTo);
    return { replyTo, quote: quoted?.conversationId === conversationId ? quoteSnapshot(quoted, this.ctx.me.userId) : null };
  }

  /**
   * The conversation is shown: it is no longer unread, and the messages that made it unread get
   * their read receipts (when they are on here) through `sendReceipt`, like "delivered". This
   * person's other devices are told which were read, so they stop counting them as unread.
   */
  async markRead(conversationId: string): Promise<void> {
    const unread = this.conversations.unreadOf(conversationId);
    await this.conversations.markRead(conversationId);
    if (!unread) return;
    const page = await this.ctx.storage.listMessages<MessageRecord>(conversationId, { limit: unread + 20 });
    const shown = page.filter((r) => r.kind === "message" && !r.outgoing && !r.read && !r.deleted).slice(-unread);
    for (const record of shown) {
      await this.conversations.updateMessage(record.id, (r) => (r.read ? null : { ...r, read: true }));
      if (this.settings.current.readReceipts && this.conversations.mayTell(conversationId))
        this.readReceipts.queue(authorOf(record, this.ctx.me.userId), record.id);
    }
    if (shown.length)
      this.settle(
        this.outbox
          .enqueue({ recipientIds: [this.ctx.me.userId], content: { t: "sync", conversationId, read: shown.slice(-100).map((r) => r.id) } })
          .then(() => undefined),
      );
  }

  /** Another device of this person read or deleted messages: the same here, with no receipt sent again. */
  private async receiveSync(content: Extract<ChatContent, { t: "sync" }>): Promise<void> {
    const { conversationId } = content;
    if (content.read?.length) {
      let read = 0;
      for (const id of content.read) {
        const changed = await this.conversations.updateMessage(id, (r) =>
          r.conversationId !== conversationId || r.kind !== "message" || r.outgoing || r.read ? null : { ...r, read: true },
        );
        if (changed) read++;
      }
      await this.conversations.readElsewhere(conversationId, read);
    }
    if (content.deleted?.length) await this.actions.syncedDeletions(conversationId, content.deleted);
  }

  async setSettings(change: Partial<ChatSettings>): Promise<void> {
    const before = this.settings.current;
    const after = await this.settings.set(change);
    if (before.typingIndicators && !after.typingIndicators) this.typing.clear();
    if (before.readReceipts !== after.readReceipts) this.threads.refreshAll();
  }

  /**
   * Every receipt ("delivered", "read") leaves through here: pairwise to the sender's devices only.
   * Settled like other event work: a receipt being queued as the session stops meets a closed storage.
   */
  private sendReceipt(peerUserId: string, content: Extract<ChatContent, { t: "delivered" | "read" }>): void {
    this.settle(this.outbox.enqueue({ peerUserId, content, syncToOwnDevices: false }).then(() => undefined));
  }

  /** For a group message, how many members it goes to (after checking we are one). */
  private recipientCount(conversationId: string): { recipientCount?: number } {
    const group = this.conversations.group(conversationId);
    if (!group) return {};
    if (group.membership !== "member") throw new ChatEngineError("chat_group_not_member");
    return { recipientCount: group.members.length - 1 };
  }

  /** A 1:1 text to the peer (and our other devices), or a group text to every member device; with its files' refs. */
  private async enqueueText(
    message: Pick<MessageRecord, "id" | "conversationId" | "body" | "sentAt" | "attachments" | "replyTo" | "expiresAt" | "viewOnce">,
  ): Promise<void> {
    const { id, conversationId: groupId, body, sentAt } = message;
    const files = {
      ...(message.attachments?.length && { attachments: refsOf(message.attachments) }),
      ...(message.replyTo && { replyTo: message.replyTo }),
      ...(message.expiresAt !== undefined && { expiresAt: message.expiresAt }),
      ...(message.viewOnce && { viewOnce: true as const }),
    };
    const group = !!this.conversations.group(message.conversationId);
    const fk = newFrankingKey(this.ctx.random);
    await this.sendToConversation(
      message.conversationId,
      group ? { t: "group-text", id, groupId, body, sentAt, ...files, fk } : { t: "text", id, body, sentAt, ...files, fk },
      id,
    );
  }

  /**
   * A conversation content (content-routing.ts) to every member device of the group, named in it
   * here; or to the peer's devices, with a copy naming the peer to our own other devices.
   * `id` dedupes a retried send.
   */
  async sendToConversation(conversationId: string, content: ChatContent, id?: string, options: { staleAfterMs?: number } = {}): Promise<void> {
    // Anything this person says in a message request (a reaction, a reply…) answers it.
    await this.requests.acceptBeforeWriting(conversationId);
    if (this.conversations.group(conversationId))
      await this.outbox.enqueue({ id, groupId: conversationId, content: { ...content, groupId: conversationId } as ChatContent, ...options });
    else await this.outbox.enqueue({ id, peerUserId: conversationId, content, syncToOwnDevices: true, ...options });
  }

  /**
   * Sends a failed message again: files not uploaded yet are uploaded first; then due now if still
   * in the outbox, else (refused for good) queued anew under its id.
   */
  /** Reports one received message with its franking proof (message-franking.ts). */
  async reportMessage(messageId: string, reason: ReportReason, note: string): Promise<void> {
    const record = await this.ctx.storage.getMessage<MessageRecord>(messageId);
    if (!record || record.kind !== "message" || record.outgoing || record.deleted || !record.franking) throw new ChatEngineError("chat_not_reportable");
    const report = messageReport({ ...record, franking: record.franking }, authorOf(record, this.ctx.me.userId), reason, note);
    try {
      await this.ctx.client.chat.reports.create.mutate(report);
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async retry(messageId: string): Promise<void> {
    const record = await this.ctx.storage.getMessage<MessageRecord>(messageId);
    if (!record || record.kind !== "message" || !record.outgoing) return;
    await this.conversations.setState(messageId, "sending", { onlyUpgrade: false });
    if (record.attachments?.some((a) => !a.blob)) return this.attachments.retryUploads(messageId);
    if (await this.outbox.retry(messageId)) return;
    await this.enqueueText(record);
  }

  search(query: string): Promise<SearchHit[]> {
    return searchMessages({ storage: this.ctx.storage, query, conversations: this.conversations, me: this.ctx.me.userId });
  }

  /** Work begun by an event: once stopped, the storage is closed under it, which is no error. */
  private settle(work: Promise<void>): void {
    work.catch((error: unknown) => {
      if (!this.stopped) throw error;
    });
  }

  private async onSent(item: OutboxRecord): Promise<void> {
    if (item.content.t !== "text" && item.content.t !== "group-text") return;
    await this.conversations.setState(item.content.id, "sent", { onlyUpgrade: true });
    if (item.content.viewOnce) await this.viewOnce.sent(item.content.id);
  }

  private async onWaiting(item: OutboxRecord): Promise<void> {
    if (item.content.t === "text") await this.conversations.setState(item.content.id, "waiting", { onlyUpgrade: true });
  }

  private async onFailing(item: OutboxRecord): Promise<void> {
    if (item.content.t === "text" || item.content.t === "group-text") await this.conversations.setState(item.content.id, "failed", { onlyUpgrade: false });
  }

  /** Whether a call invite comes in a message request, or from a stranger with whom there is no conversation yet. */
  private async callFromStranger(callerId: string, invite: Extract<ChatContent, { t: "call-invite" }>): Promise<boolean> {
    const conversationId = invite.groupId ?? callerId;
    if (this.conversations.has(conversationId)) return !this.conversations.mayTell(conversationId);
    return invite.groupId === undefined && (await this.requests.fromStranger(callerId));
  }

  private async onReceived(sender: ProtocolAddress, content: ChatContent, delivery?: EnvelopeDelivery): Promise<void> {
    const fromSelf = sender.userId === this.ctx.me.userId;
    switch (content.t) {
      case "history":
        // Only ever from our own device (content-routing.ts); downloaded in the background.
        if (fromSelf) this.settle(this.takeHistory(content));
        return;
      case "text": {
        if (fromSelf) return;
        const { id, body, sentAt, expiresAt, viewOnce } = content;
        const reply = await this.receivedReply(sender.userId, content.replyTo);
        const record = messageRecord({
          id,
          conversationId: sender.userId,
          body,
          sentAt,
          expiresAt,
          viewOnce,
          outgoing: false,
          attachments: storedFromRefs(content.attachments),
          reply,
          franking: frankingProofOf(content, delivery, this.ctx.device.rowId),
        });
        const request = await this.requestFrom(sender.userId);
        await this.storeReceived(record, { unread: true, ...(request && { request }) });
        this.typing.hide(sender.userId, sender.userId);
        // A message request tells its sender nothing until accepted (Conversations.mayTell).
        if (!this.conversations.mayTell(sender.userId)) return;
        this.receipts.queue(sender.userId, id);
        return;
      }
      case "sent": {
        const { id, to, body, sentAt, expiresAt, viewOnce } = content;
        const reply = await this.receivedReply(to, content.replyTo);
        const record = messageRecord({
          id,
          conversationId: to,
          body,
          sentAt,
          expiresAt,
          viewOnce,
          outgoing: true,
          state: "sent",
          attachments: storedFromRefs(content.attachments),
          reply,
        });
        await this.storeReceived(record, { unread: false });
        return;
      }
      case "reaction":
      case "edit":
      case "delete": {
        const conversationId = this.memberConversation(sender, content);
        if (conversationId) await this.actions.receive(sender, conversationId, content);
        return;
      }
      case "typing": {
        const conversationId = this.memberConversation(sender, content);
        if (conversationId && !fromSelf) this.typing.received(conversationId, sender.userId, content.typing, content.at);
        return;
      }
      case "read":
        // Off here: others' receipts are not shown either (nor kept to show later).
        if (this.settings.current.readReceipts) await this.actions.receiveRead(sender, content.ids);
        return;
      case "delivered": {
        if (fromSelf) return;
        for (const id of content.ids) await this.conversations.setState(id, "delivered", { onlyUpgrade: true, from: sender.userId });
        return;
      }
      case "group-change":
        return this.groups.receive(sender, content);
      case "group-text": {
        // Only from a member, into a group this person is still in.
        const group = this.conversations.group(content.groupId);
        if (group?.membership !== "member" || !group.members.some((m) => m.userId === sender.userId)) return;
        const { id, groupId: conversationId, body, sentAt, expiresAt, viewOnce } = content;
        const reply = await this.receivedReply(conversationId, content.replyTo);
        const message = { id, conversationId, body, sentAt, expiresAt, viewOnce, attachments: storedFromRefs(content.attachments), reply };
        const record = fromSelf
          ? messageRecord({ ...message, outgoing: true, state: "sent", recipientCount: group.members.length - 1 })
          : messageRecord({ ...message, outgoing: false, senderUserId: sender.userId, franking: frankingProofOf(content, delivery, this.ctx.device.rowId) });
        await this.storeReceived(record, { unread: !fromSelf });
        this.typing.hide(conversationId, sender.userId);
        if (!this.conversations.mayTell(conversationId)) return;
        if (!fromSelf) this.receipts.queue(sender.userId, id);
        return;
      }
      case "group-key":
        // Taken by the receiver before it gets here.
        return;
      case "timer": {
        const conversationId = this.memberConversation(sender, content);
        if (!conversationId) return;
        // A stranger's first word may be a timer change: it opens a request, as a message would.
        const request = fromSelf ? undefined : await this.requestFrom(conversationId);
        await this.disappearing.receive(conversationId, sender.userId, content, request);
        return;
      }
      case "viewed": {
        const conversationId = this.memberConversation(sender, content);
        if (conversationId) await this.viewOnce.receive(conversationId, sender.userId, content.messageId);
        return;
      }
      case "request-answer":
        if (fromSelf) await this.requests.answered(content);
        return;
      case "sync":
        if (fromSelf) await this.receiveSync(content);
        return;
      case "call-invite":
        // A stranger's call does not ring: it would tell them this person is there (and a request is silent).
        if (!fromSelf && (await this.callFromStranger(sender.userId, content))) return;
        return this.calls.receive(sender, content);
      case "call-accept":
      case "call-decline":
      case "call-end":
      case "call-rekey":
        return this.calls.receive(sender, content);
    }
  }

  /**
   * Stores a received message once, applies actions that came before it, then lets its files
   * download (not in a message request: it fetches nothing until accepted).
   */
  private async storeReceived(record: MessageRecord, options: { unread: boolean; request?: { from: string } }): Promise<void> {
    if (!(await this.conversations.store(record, options))) return;
    const applied = await this.actions.arrived(record);
    if (this.conversations.mayTell(record.conversationId)) this.attachments.received(applied);
  }

  /**
   * Whether a 1:1 content from `senderUserId` (not us) opens a message request: no conversation
   * with them yet, and they are someone this person does not follow. (A group is never new here:
   * it comes from its group change, which decides.)
   */
  private async requestFrom(senderUserId: string): Promise<{ from: string } | undefined> {
    if (this.conversations.has(senderUserId)) return undefined;
    return (await this.requests.fromStranger(senderUserId)) ? { from: senderUserId } : undefined;
  }

  /**
   * The conversation of a conversation content from a member of it (a group this person is still
   * in, with the sender in it; or the 1:1 conversation); null otherwise.
   */
  private memberConversation(sender: ProtocolAddress, content: ChatContent): string | null {
    const conversationId = conversationIdOf(sender, content, this.ctx.me.userId);
    if (!conversationId) return null;
    const group = this.conversations.group(conversationId);
    if (group && (group.membership !== "member" || !group.members.some((m) => m.userId === sender.userId))) return null;
    return conversationId;
  }
}
