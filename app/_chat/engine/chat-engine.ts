// The chat engine: one per signed-in person and tab, a façade over its parts. It owns this
// browser's chat storage (one tab at a time), sets the device up (new, linked or restored), and
// then runs a ChatSession (receiver, outbox, conversations, backup). The UI reads immutable
// snapshots and gives commands (types.ts), which reject (never throw) when refused. Browser APIs
// come from an EngineEnvironment.
import { fetchVerifiedList } from "./device-lists";
import { loadCryptoCore, prepareOfflinePassphraseKey } from "../crypto";
import {
  chatStorageExists,
  deleteChatStorage,
  forgetLegacyOfflineUnlock,
  forgetOfflineUnlock,
  hasOfflineUnlock,
  isChatStorageError,
  keepOfflineUnlock,
  openChatStorage,
  openOfflineUnlock,
  type ChatStorage,
} from "../storage";
import { fromBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { BackupWorker } from "./backup-worker-client";
import { ChatEngineError } from "./chat-engine-error";
import { ChatSession } from "./chat-session";
import { engineContextOf, type DeviceSetupContext, type SetUpDevice } from "./device-setup-context";
import type { ChatApiClient, ChatMe } from "./engine-context";
import { browserEnvironment, type EngineEnvironment } from "./engine-environment";
import { findLinkSlot, linkWithCode } from "./link-with-code";
import { KV, type AccountRecord } from "./records";
import { parseBackupSecret, restoreFromBackup, type BackupSecretInput } from "./restore-from-backup";
import { setUpNewDevice } from "./set-up-new-device";
import { SnapshotStore } from "./snapshot-store";
import { EMPTY_THREAD_VIEW, type ThreadView } from "./thread-cache";
import { toEngineError } from "./to-engine-error";
import type {
  CallKind,
  CallsView,
  ChatEngineCommands,
  ChatSettings,
  ChatPerson,
  DeviceView,
  EngineStatus,
  ReportReason,
  SafetyNumberView,
  SearchHit,
} from "./types";
import { MIN_OFFLINE_PASSPHRASE_LENGTH } from "./types";

const NO_CALLS: CallsView = { incoming: [], open: null };

export class ChatEngine implements ChatEngineCommands {
  private readonly view = new SnapshotStore();
  readonly subscribe = this.view.subscribe;
  readonly getSnapshot = this.view.getSnapshot;
  private readonly client: ChatApiClient;
  private readonly me: ChatMe;
  private readonly env: EngineEnvironment;
  private readonly backupWorker: BackupWorker;
  private readonly storageName: string;

  private stopped = false;
  private releaseLock: (() => void) | null = null;
  private storageSecret: Uint8Array | null = null;
  private session: ChatSession | null = null;
  private stopOnlineListener: (() => void) | null = null;
  /** While `locked-offline`: an offline passphrase is being tried (the network coming back waits for it). */
  private unlocking = false;
  private stopWaitingForNetwork: (() => void) | null = null;

  /**
   * `releaseLock` lets go of the person's one-tab lock, which the tab starting this engine already
   * holds (tabs/chat-tab.ts): every other tab works through this one, so none is ever turned away.
   */
  constructor(options: { client: ChatApiClient; me: ChatMe; environment?: EngineEnvironment; releaseLock?: () => void }) {
    this.client = options.client;
    this.releaseLock = options.releaseLock ?? null;
    this.me = options.me;
    this.env = options.environment ?? browserEnvironment();
    this.backupWorker = this.env.createBackupWorker();
    this.storageName = this.env.storageName(this.me.userId);
  }

  private setStatus(status: EngineStatus): void {
    this.view.update({ status });
  }

  // Life cycle

  start(): void {
    void this.boot().catch((error: unknown) => {
      const { code } = toEngineError(error);
      // Opening the storage needs the server's storage secret, or this device's offline copy of it
      // and its passphrase: offline without a copy, wait for the network.
      if (code === "chat_offline") this.startWhenOnline();
      this.setStatus({ kind: "failed", code: code === "chat_unexpected" ? "chat_storage_failed" : code });
    });
  }

  /**
   * Starts again at the next `online` event, unless stopped, or opened with the offline passphrase
   * by then (a passphrase being tried goes first).
   */
  private startWhenOnline(): void {
    this.stopWaitingForNetwork?.();
    const unsubscribe = this.env.onOnline(() => {
      if (this.unlocking) return;
      this.stopWaitingForNetwork?.();
      if (!this.stopped) this.start();
    });
    this.stopWaitingForNetwork = () => {
      unsubscribe();
      this.stopWaitingForNetwork = null;
    };
  }

  stop(): void {
    this.stopped = true;
    this.session?.stop();
    this.backupWorker.terminate();
    this.stopOnlineListener?.();
    this.stopWaitingForNetwork?.();
    this.releaseLock?.();
  }

  private async boot(): Promise<void> {
    this.setStatus({ kind: "starting" });
    // A copy kept by an earlier version opens from the browser's files alone: it goes first.
    const [storageSecret] = await Promise.all([this.serverSecret(), loadCryptoCore(), forgetLegacyOfflineUnlock(this.storageName).catch(() => false)]);
    if (storageSecret) return this.open(storageSecret);
    if (!(await hasOfflineUnlock(this.storageName))) throw new ChatEngineError("chat_offline");
    // Opened with the passphrase on an earlier page load while Messages stayed open: no question.
    if (await this.openWithHeldSecret()) return;
    this.setStatus({ kind: "locked-offline" });
    this.startWhenOnline();
  }

  /** Opens with the secret the service worker holds, if any; false when there is none or it does not open the store. */
  private async openWithHeldSecret(): Promise<boolean> {
    const held = await this.env.heldSecrets.ask(this.storageName).catch(() => null);
    if (!held) return false;
    try {
      await this.open(held);
    } catch (error) {
      // Not this store's (or damaged): forget it, and ask the person.
      if (!isChatStorageError(error, "wrong_secret") && !isChatStorageError(error, "invalid_secret")) throw error;
      this.storageSecret = null;
      await this.env.heldSecrets.forget(this.storageName).catch(() => undefined);
      return false;
    }
    return true;
  }

  /** Opens the storage with the storage secret and runs the engine, or offers set-up. */
  private async open(storageSecret: Uint8Array): Promise<void> {
    this.storageSecret = storageSecret;
    if (await chatStorageExists(this.storageName)) {
      const storage = await openChatStorage({ userId: this.storageName, storageSecret: this.storageSecret });
      const account = await storage.getValue<AccountRecord>(KV.account);
      if (account) return this.run({ storage, account });
      // A set-up that never finished: start over.
      storage.close();
      await deleteChatStorage(this.storageName);
    }
    await this.offerSetup({ automatic: true });
  }

  /** The storage secret from the server, or null for want of a network (never for the server's refusal). */
  private async serverSecret(): Promise<Uint8Array | null> {
    try {
      return fromBase64Url((await this.client.chat.storage.secret.mutate()).secret);
    } catch (error) {
      if (toEngineError(error).code !== "chat_offline") throw error;
      return null;
    }
  }

  async unlockOffline(passphrase: string): Promise<void> {
    if (this.getSnapshot().status.kind !== "locked-offline" || this.unlocking) throw new ChatEngineError("chat_not_ready");
    this.unlocking = true;
    let storageSecret: Uint8Array;
    try {
      storageSecret = await openOfflineUnlock({ userId: this.storageName, passphrase });
    } catch (error) {
      // Wrong: nothing changed, the person tries again (no lockout: Argon2id is what slows guessing).
      if (isChatStorageError(error, "wrong_passphrase")) throw new ChatEngineError("chat_offline_passphrase_wrong");
      throw toEngineError(error);
    } finally {
      this.unlocking = false;
    }
    if (this.stopped) return;
    this.stopWaitingForNetwork?.();
    this.env.heldSecrets.hold(this.storageName, storageSecret);
    this.setStatus({ kind: "starting" });
    await this.open(storageSecret).catch((error: unknown) => {
      this.setStatus({ kind: "failed", code: toEngineError(error).code });
    });
  }

  /**
   * This browser has no keys. With no device in the account's list and no backup there is nothing
   * to link or restore, so (`automatic`) keys are made at once, with no set-up step in the way;
   * otherwise the person chooses. A list that could not be read is never taken for "none".
   */
  private async offerSetup(options: { automatic: boolean }): Promise<void> {
    const [list, backups] = await Promise.all([
      fetchVerifiedList(this.client, this.me.userId).then(
        (verified) => verified?.devices ?? [],
        () => null,
      ),
      this.client.chat.backup.status.query(),
    ]);
    if (options.automatic && list?.length === 0 && backups.length === 0) {
      this.setStatus({ kind: "working", step: "creating-keys", progress: null });
      return this.setUp(setUpNewDevice, { automatic: true });
    }
    this.setStatus({ kind: "needs-setup", otherDevices: list?.map((d) => d.name) ?? [], backups: backups.map((b) => b.kind) });
  }

  /** Starts the running engine on a set-up device. */
  private async run(device: SetUpDevice): Promise<void> {
    const session = new ChatSession(engineContextOf({ client: this.client, me: this.me, env: this.env }, device), this.env, this.backupWorker, {
      update: (change) => this.view.update(change),
      revoked: () => void this.onRevoked(session),
    });
    this.session = session;
    await session.load();
    const offlinePassphrase = await hasOfflineUnlock(this.storageName).catch(() => false);
    this.view.update({ offlinePassphrase });
    // This version's Argon2id code must be in the worker's cache before the next offline start.
    if (offlinePassphrase) void prepareOfflinePassphraseKey().catch(() => undefined);
    this.setStatus({ kind: "ready" });
    this.stopOnlineListener = this.env.onOnline(() => session.retryNow());
    session.start();
  }

  private ready(): ChatSession {
    if (!this.session) throw new ChatEngineError("chat_not_ready");
    return this.session;
  }

  // Setting up this browser

  /** Runs a set-up and then the engine; on failure removes what it made and offers set-up again. */
  private async setUp(work: (setup: DeviceSetupContext) => Promise<SetUpDevice>, options = { automatic: false }): Promise<void> {
    if ((!options.automatic && this.getSnapshot().status.kind !== "needs-setup") || !this.storageSecret) throw new ChatEngineError("chat_not_ready");
    let storage: ChatStorage | null = null;
    try {
      const device = await work({
        client: this.client,
        me: this.me,
        env: this.env,
        storageSecret: this.storageSecret,
        step: (step, progress = null) => this.setStatus({ kind: "working", step, progress }),
        stopped: () => this.stopped,
      });
      storage = device.storage;
      await this.run(device);
    } catch (error) {
      storage?.close();
      this.session = null;
      await deleteChatStorage(this.storageName).catch(() => undefined);
      await this.offerSetup({ automatic: false }).catch(() => undefined);
      throw toEngineError(error);
    }
  }

  async setUpNewDevice(): Promise<void> {
    await this.setUp(setUpNewDevice);
  }

  async linkWithCode(code: string): Promise<void> {
    const slot = await findLinkSlot(this.client, code);
    await this.setUp((setup) => linkWithCode(setup, slot));
  }

  async restoreFromBackup(secret: BackupSecretInput): Promise<void> {
    const workerSecret = parseBackupSecret(secret);
    await this.setUp((setup) => restoreFromBackup(setup, this.backupWorker, workerSecret));
  }

  /**
   * The server no longer lists this device. Its storage stays: the history on it is the person's,
   * and may exist nowhere else, so it remains downloadable until they choose to set up again.
   */
  private async onRevoked(session: ChatSession): Promise<void> {
    if (this.session !== session) return;
    const ownAccountKey = session.ctx.accountKeyPair.identityKey;
    session.stop();
    this.session = null;
    this.stopOnlineListener?.();
    this.view.update({ conversations: [], connection: "connecting" });
    const list = await fetchVerifiedList(this.client, this.me.userId).catch(() => null);
    const newIdentity = !!list && !list.accountKey.equals(ownAccountKey);
    this.setStatus({ kind: "cut-off", reason: newIdentity ? "new-identity" : "removed", by: newIdentity ? (list.devices[0]?.name ?? null) : null });
  }

  async saveHistory(): Promise<number> {
    const { saveMessageHistory } = await import("../export/message-history");
    const day = new Date(this.env.now()).toISOString().slice(0, 10);
    return saveMessageHistory({ client: this.client, userId: this.me.userId, fileName: `hearth-messages-${day}.json` });
  }

  async discardAndSetUpAgain(): Promise<void> {
    if (this.getSnapshot().status.kind !== "cut-off") throw new ChatEngineError("chat_not_ready");
    await deleteChatStorage(this.storageName);
    await this.offerSetup({ automatic: true });
  }

  // Conversations and messages

  async openConversation(handle: string): Promise<ChatPerson> {
    return this.ready().openConversation(handle);
  }

  messages(conversationId: string): ThreadView {
    return this.session?.threads.view(conversationId) ?? EMPTY_THREAD_VIEW;
  }

  async loadOlder(conversationId: string): Promise<void> {
    return this.ready().threads.loadOlder(conversationId);
  }

  async sendText(conversationId: string, body: string, replyTo?: string): Promise<void> {
    return this.ready().sendText(conversationId, body, replyTo);
  }

  async sendFiles(conversationId: string, files: readonly File[], caption: string, options?: { replyTo?: string; viewOnce?: boolean }): Promise<void> {
    return this.ready().sendFiles(conversationId, files, caption, options);
  }

  async react(messageId: string, emoji: string | null): Promise<void> {
    return this.ready().actions.react(messageId, emoji);
  }

  async editMessage(messageId: string, body: string): Promise<void> {
    return this.ready().actions.edit(messageId, body);
  }

  async deleteForEveryone(messageId: string): Promise<void> {
    return this.ready().actions.deleteForEveryone(messageId);
  }

  async deleteForMe(messageId: string): Promise<void> {
    return this.ready().actions.deleteForMe(messageId);
  }

  async setTyping(conversationId: string, typing: boolean): Promise<void> {
    await this.session?.typing.set(conversationId, typing);
  }

  async setChatSettings(change: Partial<ChatSettings>): Promise<void> {
    await this.ready().setSettings(change);
  }

  async setDisappearingTimer(conversationId: string, seconds: number): Promise<void> {
    return this.ready().disappearing.setTimer(conversationId, seconds);
  }

  async openViewOnce(messageId: string): Promise<Blob> {
    return this.ready().viewOnce.open(messageId);
  }

  async cancelUpload(messageId: string): Promise<void> {
    return this.ready().attachments.cancelUpload(messageId);
  }

  async retry(messageId: string): Promise<void> {
    return this.ready().retry(messageId);
  }

  async reportMessage(messageId: string, reason: ReportReason, note: string): Promise<void> {
    return this.ready().reportMessage(messageId, reason, note);
  }

  async downloadAttachment(messageId: string, attachmentId: string): Promise<void> {
    return this.ready().attachments.download(messageId, attachmentId);
  }

  async cancelDownload(_messageId: string, attachmentId: string): Promise<void> {
    this.session?.attachments.cancelDownload(attachmentId);
  }

  async openAttachment(messageId: string, attachmentId: string): Promise<Blob> {
    return this.ready().attachments.open(messageId, attachmentId);
  }

  async attachmentQuota(): Promise<{ usedBytes: number; limitBytes: number }> {
    return this.ready().attachments.quota();
  }

  async markRead(conversationId: string): Promise<void> {
    await this.session?.markRead(conversationId);
  }

  async search(query: string): Promise<SearchHit[]> {
    return this.ready().search(query);
  }

  // Message requests

  async acceptRequest(conversationId: string): Promise<void> {
    return this.ready().requests.accept(conversationId);
  }

  async deleteRequest(conversationId: string): Promise<void> {
    return this.ready().requests.delete(conversationId);
  }

  async blockRequest(conversationId: string): Promise<void> {
    return this.ready().requests.block(conversationId);
  }

  // Groups

  async createGroup(options: { name: string; description: string; memberIds: string[] }): Promise<string> {
    return this.ready().groups.create(options);
  }

  async addGroupMembers(groupId: string, userIds: string[]): Promise<void> {
    return this.ready().groups.addMembers(groupId, userIds);
  }

  async removeGroupMember(groupId: string, userId: string): Promise<void> {
    return this.ready().groups.removeMember(groupId, userId);
  }

  async makeGroupAdmin(groupId: string, userId: string): Promise<void> {
    return this.ready().groups.makeAdmin(groupId, userId);
  }

  async editGroup(groupId: string, details: { name: string; description: string; picture?: File | null }): Promise<void> {
    return this.ready().groups.edit(groupId, details);
  }

  async leaveGroup(groupId: string): Promise<void> {
    return this.ready().groups.leave(groupId);
  }

  async groupCandidates(): Promise<ChatPerson[]> {
    return this.ready().groups.candidates();
  }

  // Calls (signalling: calls/call-signals.ts; the media: app/_chat/calls)

  calls(): CallsView {
    return this.session?.calls.view() ?? NO_CALLS;
  }

  async startCall(conversationId: string, kind: CallKind): Promise<string> {
    return this.ready().calls.start(conversationId, kind);
  }

  async acceptCall(callId: string): Promise<string> {
    return this.ready().calls.accept(callId);
  }

  async declineCall(callId: string): Promise<void> {
    return this.ready().calls.decline(callId);
  }

  async openCall(room: string): Promise<void> {
    return this.ready().calls.open(room);
  }

  async callJoined(callId: string, participantId: string): Promise<void> {
    return this.ready().calls.joined(callId, participantId);
  }

  async rotateCallKey(callId: string, leftParticipantIds: readonly string[]): Promise<void> {
    return this.ready().calls.rotateKey(callId, leftParticipantIds);
  }

  async endCall(callId: string, options: { durationMs: number | null; lastOne: boolean }): Promise<void> {
    return this.ready().calls.end(callId, options);
  }

  // Verification

  async safetyNumber(conversationId: string): Promise<SafetyNumberView> {
    return this.ready().verification.safetyNumber(conversationId);
  }

  async compareScanned(conversationId: string, scanned: Uint8Array): Promise<boolean> {
    return this.ready().verification.compareScanned(conversationId, scanned);
  }

  async setVerified(conversationId: string, verified: boolean): Promise<void> {
    return this.ready().verification.setVerified(conversationId, verified);
  }

  async acknowledgeIdentityChange(conversationId: string): Promise<void> {
    return this.ready().verification.acknowledgeIdentityChange(conversationId);
  }

  // Devices

  async devices(): Promise<DeviceView[]> {
    return this.ready().devices.list();
  }

  async removeDevice(rowId: string): Promise<void> {
    return this.ready().devices.remove(rowId);
  }

  async startLinkOffer(): Promise<void> {
    return this.ready().devices.startLinkOffer();
  }

  async approveLink(options: { sendHistory?: boolean } = {}): Promise<void> {
    await this.session?.devices.approveLink(options);
  }

  async cancelLink(): Promise<void> {
    await this.session?.devices.cancelLink();
  }

  // Backup

  async enableBackup(): Promise<void> {
    await this.ready()
      .backup.enable()
      .catch((error: unknown) => {
        throw toEngineError(error);
      });
  }

  confirmRecoveryKeySaved(): void {
    this.session?.backup.confirmRecoveryKeySaved();
  }

  async setPassphrase(passphrase: string): Promise<void> {
    const session = this.ready();
    if (passphrase.length < 12) throw new ChatEngineError("chat_passphrase_too_short");
    await session.backup.setPassphrase(passphrase);
  }

  async removePassphrase(): Promise<void> {
    return this.ready().backup.setPassphrase(null);
  }

  // Opening offline (storage/offline-unlock.ts)

  async setOfflinePassphrase(passphrase: string): Promise<void> {
    this.ready();
    if (passphrase.normalize("NFKC").length < MIN_OFFLINE_PASSPHRASE_LENGTH) throw new ChatEngineError("chat_offline_passphrase_too_short");
    if (!this.storageSecret) throw new ChatEngineError("chat_not_ready");
    await keepOfflineUnlock({ userId: this.storageName, storageSecret: this.storageSecret, passphrase, kdfLimits: this.env.offlinePassphraseKdf }).catch(
      (error: unknown) => {
        throw toEngineError(error);
      },
    );
    // A new passphrase: the next offline start asks for it.
    await this.env.heldSecrets.forget(this.storageName).catch(() => undefined);
    this.view.update({ offlinePassphrase: true });
  }

  async removeOfflinePassphrase(): Promise<void> {
    this.ready();
    await forgetOfflineUnlock(this.storageName);
    await this.env.heldSecrets.forget(this.storageName).catch(() => undefined);
    this.view.update({ offlinePassphrase: false });
  }

  async backUpNow(): Promise<void> {
    await this.ready()
      .backup.backUpNow()
      .catch((error: unknown) => {
        throw toEngineError(error);
      });
  }

  async backupAttachmentLimit(): Promise<number> {
    return this.ready().backup.attachmentLimit();
  }

  async setBackupAttachmentLimit(bytes: number): Promise<void> {
    return this.ready().backup.setAttachmentLimit(bytes);
  }
}
