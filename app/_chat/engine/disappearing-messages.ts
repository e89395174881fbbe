// Disappearing messages on one running engine: the conversation timer (set by any member, announced
// as a "timer" content on every device of every member) and the deletion of each message at its own
// expiry. A message carries its expiry (the sender's sent-at plus the timer then), so a later change
// of the timer never moves it. Expiries are kept in memory and checked by one timer, at the next
// expiry but at least every EngineEnvironment.delays.expiryCheckMs (browsers cap a timeout at ~24.8
// days, a timer may be 4 weeks, and tests move an injected clock); start-up sweeps what expired
// while no tab ran.
import { DISAPPEARING_TIMERS, type ChatContent } from "./chat-content";
import { ChatEngineError } from "./chat-engine-error";
import type { Attachments } from "./attachments/attachments";
import type { Conversations } from "./conversations";
import type { EngineContext } from "./engine-context";
import { noticeRecord } from "./message-record";
import type { MessageRecord } from "./records";

type TimerContent = Extract<ChatContent, { t: "timer" }>;

export class DisappearingMessages {
  /** Stored disappearing messages and when each goes. */
  private readonly due = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private expiring: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly conversations: Conversations,
    private readonly parts: {
      /** Sends a conversation content to every member device (ChatSession.sendToConversation). */
      send(conversationId: string, content: ChatContent): Promise<void>;
      attachments: Attachments;
      checkEveryMs: number;
    },
  ) {}

  /** Deletes what expired while no tab ran, and times the rest. */
  async start(): Promise<void> {
    for await (const batch of this.ctx.storage.iterateMessages<MessageRecord>()) {
      for (const record of batch) if (record.expiresAt !== undefined) this.due.set(record.id, record.expiresAt);
    }
    await this.expireDue();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** A message sent now in this conversation expires then (undefined: the timer is off). */
  expiryFor(conversationId: string, sentAt: number): number | undefined {
    const seconds = this.conversations.timerOf(conversationId);
    return seconds ? sentAt + seconds * 1000 : undefined;
  }

  /** A stored line: timed if it disappears. */
  track(record: MessageRecord): void {
    if (record.expiresAt === undefined || this.stopped) return;
    this.due.set(record.id, record.expiresAt);
    this.schedule();
  }

  /** Sets the conversation's timer (0: off) for every member, announced in it. */
  async setTimer(conversationId: string, seconds: number): Promise<void> {
    if (seconds !== 0 && !(DISAPPEARING_TIMERS as readonly number[]).includes(seconds)) throw new ChatEngineError("chat_unexpected");
    const group = this.conversations.group(conversationId);
    if (group && group.membership !== "member") throw new ChatEngineError("chat_group_not_member");
    // Later than the change in force, even within its millisecond: a change made after seeing it must win.
    const sentAt = Math.max(this.ctx.now(), (this.conversations.timerChange(conversationId)?.sentAt ?? -1) + 1);
    const content: TimerContent = { t: "timer", id: crypto.randomUUID(), seconds: seconds as TimerContent["seconds"], sentAt };
    await this.apply(conversationId, this.ctx.me.userId, content);
    await this.parts.send(conversationId, content);
  }

  /**
   * A member's timer change (ours from another device included), in its conversation (ChatSession
   * checked the sender is a member). `request`: it is a stranger's first word, so the conversation
   * it opens is a message request (Conversations.store).
   */
  async receive(conversationId: string, senderUserId: string, content: TimerContent, request?: { from: string }): Promise<void> {
    await this.apply(conversationId, senderUserId, content, request);
  }

  /** Every change is announced where it was made in time; the one in force is the latest. */
  private async apply(conversationId: string, actorId: string, content: TimerContent, request?: { from: string }): Promise<void> {
    const { id, seconds, sentAt } = content;
    await this.conversations.applyTimer(conversationId, { id, seconds, sentAt }, { ...(request && { request }) });
    await this.conversations.store(noticeRecord({ id, conversationId, notice: "timer-changed", at: sentAt, actorId, detail: String(seconds) }), {
      unread: false,
      ...(request && { request }),
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.due.size) return;
    const next = Math.min(...this.due.values());
    const delay = Math.min(Math.max(0, next - this.ctx.now()), this.parts.checkEveryMs);
    this.timer = setTimeout(() => void this.expireDue(), delay);
  }

  /** Deletes every message past its expiry (one run at a time), then waits for the next. */
  private expireDue(): Promise<void> {
    this.expiring = this.expiring
      .then(async () => {
        const now = this.ctx.now();
        for (const [id, expiresAt] of this.due) {
          if (this.stopped) return;
          if (expiresAt > now) continue;
          const record = await this.ctx.storage.getMessage<MessageRecord>(id);
          if (record) {
            // Files first: once the line is gone from view, nothing of it is left.
            await this.parts.attachments.erase(record);
            await this.conversations.remove(record);
          }
          this.due.delete(id);
        }
      })
      // A deletion that failed (or met the storage closed by stopping) stays due: tried again at the next check.
      .catch(() => undefined)
      .finally(() => this.schedule());
    return this.expiring;
  }
}
