// "Alice is typing…": while the person types, this device says so every TYPING_REPEAT_MS, and that
// they stopped once the field is empty, the message sent, or TYPING_IDLE_MS passed without a key.
// A typing signal is worth something for seconds only: its outbox item is dropped after
// TYPING_STALE_MS and never retried, a receiver ignores one written more than TYPING_STALE_MS ago
// (by its own clock, a device offline for a while must not show old typing), and shows one for
// TYPING_TIMEOUT_MS unless renewed. Nothing of it is stored, and it never makes a conversation
// unread. While typing indicators are off on this device, none are sent and none shown.
import type { ChatPerson } from "./types";

export const TYPING_REPEAT_MS = 4_000;
export const TYPING_IDLE_MS = 5_000;
export const TYPING_TIMEOUT_MS = 8_000;
export const TYPING_STALE_MS = 15_000;

export interface TypingParts {
  now(): number;
  enabled(): boolean;
  /** Sends a typing signal to the conversation, dropped from the outbox once stale. */
  send(conversationId: string, typing: boolean, at: number): Promise<void>;
  personNow(userId: string): ChatPerson;
  /** Who is typing where changed. */
  publish(typing: Readonly<Record<string, readonly ChatPerson[]>>): void;
}

export class TypingIndicators {
  /** Our own typing: when the last "started" went out, by conversation. */
  private readonly sentAt = new Map<string, number>();
  private readonly idleTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Others' typing: until when each shows, by conversation and user id. */
  private readonly shown = new Map<string, Map<string, ReturnType<typeof setTimeout>>>();

  constructor(private readonly parts: TypingParts) {}

  /** This person typed (`typing`) or stopped in a conversation. */
  async set(conversationId: string, typing: boolean): Promise<void> {
    const { now, enabled, send } = this.parts;
    clearTimeout(this.idleTimers.get(conversationId));
    this.idleTimers.delete(conversationId);
    const last = this.sentAt.get(conversationId);
    if (!typing || !enabled()) {
      if (last === undefined) return;
      this.sentAt.delete(conversationId);
      return send(conversationId, false, now());
    }
    this.idleTimers.set(
      conversationId,
      setTimeout(() => void this.set(conversationId, false).catch(() => undefined), TYPING_IDLE_MS),
    );
    if (last !== undefined && now() - last < TYPING_REPEAT_MS) return;
    this.sentAt.set(conversationId, now());
    await send(conversationId, true, now());
  }

  /** Someone's typing signal in a conversation (already checked to come from one of its members). */
  received(conversationId: string, userId: string, typing: boolean, at: number): void {
    if (!this.parts.enabled() || Math.abs(this.parts.now() - at) > TYPING_STALE_MS) return;
    if (typing) this.show(conversationId, userId);
    else this.hide(conversationId, userId);
  }

  /** A message from `userId` arrived: they are done typing it. */
  hide(conversationId: string, userId: string): void {
    const people = this.shown.get(conversationId);
    const timer = people?.get(userId);
    if (!people || timer === undefined) return;
    clearTimeout(timer);
    people.delete(userId);
    if (!people.size) this.shown.delete(conversationId);
    this.publish();
  }

  /** Typing indicators were switched off: nothing shows. */
  clear(): void {
    for (const people of this.shown.values()) for (const timer of people.values()) clearTimeout(timer);
    this.shown.clear();
    this.publish();
  }

  stop(): void {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    for (const people of this.shown.values()) for (const timer of people.values()) clearTimeout(timer);
  }

  private show(conversationId: string, userId: string): void {
    const people = this.shown.get(conversationId) ?? new Map<string, ReturnType<typeof setTimeout>>();
    clearTimeout(people.get(userId));
    people.set(
      userId,
      setTimeout(() => this.hide(conversationId, userId), TYPING_TIMEOUT_MS),
    );
    this.shown.set(conversationId, people);
    this.publish();
  }

  /** Publishes again (people's names became known). */
  publish(): void {
    const typing: Record<string, readonly ChatPerson[]> = {};
    for (const [conversationId, people] of this.shown) typing[conversationId] = [...people.keys()].map((u) => this.parts.personNow(u));
    this.parts.publish(typing);
  }
}
