// The owner tab's end of the bridge: answers the other tabs' commands with its engine, and sends
// them its views whenever they change: the snapshot, ringing calls, and the threads they show.
// Secrets stay here: the recovery key shown once and the open call (its media keys) are left out
// of what is sent, and commands that would carry one are refused (COMMAND_ROUTES).
import { ChatEngineError } from "../chat-engine-error";
import { toEngineError } from "../to-engine-error";
import type { ThreadView } from "../thread-cache";
import type { CallsView, ChatEngineView, ChatSnapshot } from "../types";
import type { BridgeMessage } from "./bridge-messages";
import { isForwardedCommand } from "./command-routes";
import type { TabChannel } from "./tab-channel";
import { fromWire, toWire } from "./wire-values";

export class EngineHost {
  private readonly watched = new Set<string>();
  private readonly sentThreads = new Map<string, ThreadView>();
  private sentSnapshot: ChatSnapshot | null = null;
  private sentCalls: CallsView | null = null;
  private publishQueued = false;
  private stopped = false;
  private readonly stopListening: () => void;
  private readonly stopWatching: () => void;

  constructor(
    private readonly engine: ChatEngineView,
    private readonly channel: TabChannel,
    private readonly owner: string,
  ) {
    this.stopListening = channel.listen((message) => this.receive(message));
    this.stopWatching = engine.subscribe(() => this.queuePublish());
    channel.post({ type: "owner-ready", owner });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopWatching();
    this.stopListening();
    this.channel.post({ type: "owner-gone", owner: this.owner });
  }

  private receive(message: BridgeMessage): void {
    switch (message.type) {
      case "hello":
        this.sentSnapshot = null;
        this.sentCalls = null;
        this.sentThreads.clear();
        this.publish();
        return;
      case "watch":
        this.watched.add(message.conversationId);
        this.sentThreads.delete(message.conversationId);
        this.publish();
        return;
      case "command":
        void this.run(message.tab, message.id, message.method, message.args);
        return;
      default:
        return;
    }
  }

  private async run(tab: string, id: number, method: string, args: unknown[]): Promise<void> {
    try {
      if (!isForwardedCommand(method)) throw new ChatEngineError("chat_other_tab_only");
      const command = this.engine[method] as (...args: unknown[]) => Promise<unknown>;
      const value = await command.apply(this.engine, fromWire(args) as unknown[]);
      if (!this.stopped) this.channel.post({ type: "result", tab, id, ok: true, value: toWire(value) });
    } catch (error) {
      if (!this.stopped) this.channel.post({ type: "result", tab, id, ok: false, code: toEngineError(error).code });
    }
  }

  // Changes come in bursts (a message stored, its thread, its conversation): one post per burst.
  private queuePublish(): void {
    if (this.publishQueued) return;
    this.publishQueued = true;
    queueMicrotask(() => {
      this.publishQueued = false;
      this.publish();
    });
  }

  private publish(): void {
    if (this.stopped) return;
    const snapshot = this.engine.getSnapshot();
    if (snapshot !== this.sentSnapshot) {
      this.sentSnapshot = snapshot;
      this.channel.post({ type: "snapshot", owner: this.owner, snapshot: withoutSecrets(snapshot) });
    }
    const calls = this.engine.calls();
    if (calls !== this.sentCalls) {
      this.sentCalls = calls;
      // The open call belongs to this page (its media keys with it); other tabs see what rings.
      this.channel.post({ type: "calls", owner: this.owner, calls: { incoming: calls.incoming, open: null } });
    }
    for (const conversationId of this.watched) {
      const view = this.engine.messages(conversationId);
      if (view === this.sentThreads.get(conversationId)) continue;
      this.sentThreads.set(conversationId, view);
      this.channel.post({ type: "thread", owner: this.owner, conversationId, view });
    }
  }
}

/** The snapshot as other tabs may see it: the recovery key is shown only in the tab that made it. */
function withoutSecrets(snapshot: ChatSnapshot): ChatSnapshot {
  return snapshot.backup.pendingRecoveryKey === null ? snapshot : { ...snapshot, backup: { ...snapshot.backup, pendingRecoveryKey: null } };
}
