// Call signalling over the encrypted chat: invites (with the room and the first media key, made on
// the caller's device), answers, declines, hang-ups and new keys travel pairwise to the devices of
// the people concerned and to our own other devices, so every device of the callee rings and stops
// ringing when one of them answers ("answered elsewhere" is our own answer seen from another
// device). Who a LiveKit participant is comes only from here: each device names its participant id
// in its invite or answer. Every device keeps its own line in the conversation (missed, declined,
// ended with its length) under the call id, so the line is stored once whatever arrives twice.
//
// Group calls are signalled pairwise to the members rather than with the group's sender key: a new
// key after someone leaves must reach those who stay and not the one who left, who is usually still
// a member of the group.
import type { ProtocolAddress } from "../../crypto";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { ChatContent } from "../chat-content";
import { ChatEngineError } from "../chat-engine-error";
import type { Conversations } from "../conversations";
import type { EngineContext } from "../engine-context";
import { noticeRecord } from "../message-record";
import type { Outbox } from "../outbox";
import type { CallKind, CallNoticeKind, CallState, CallsView, CallView, IncomingCallView } from "../types";
import { MAX_CALL_PARTICIPANTS } from "../types";
import { CALL_KV, callNoticeDetail, FINISHED_CALL_STATES, type CallRecord } from "./call-record";

export type CallContent = Extract<ChatContent, { t: "call-invite" | "call-accept" | "call-decline" | "call-end" | "call-rekey" }>;

/** How long a call rings before it counts as missed. */
export const RING_MS = 45_000;
/** An invite the sender's clock dates older than this (delivered late: the device was offline) rings no more. */
export const STALE_INVITE_MS = RING_MS + 2 * 60_000;
/** How long the banner says "answered on another device" (or declined there). */
export const ELSEWHERE_SHOWN_MS = 4_000;
/** Keys kept per call: the current one and a few before it, for frames still in flight. */
const KEPT_KEYS = 4;
/** Calls kept in the storage (the oldest are forgotten; their lines stay in the conversations). */
const KEPT_CALLS = 20;
/** A 1:1 room admits one more than the two people: a device that reloads rejoins before LiveKit has dropped its old participant. */
const DIRECT_CALL_CAP = 3;

export interface CallSignalsEvents {
  /** What `view()` returns changed. */
  changed(): void;
}

export interface CallSignalsOptions {
  ringMs?: number;
  elsewhereShownMs?: number;
}

const NO_CALLS: CallsView = { incoming: [], open: null };

export class CallSignals {
  private readonly records = new Map<string, CallRecord>();
  private readonly ringTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Calls whose ringing another device of this person ended just now: shown on the banner for a moment. */
  private readonly elsewhere = new Map<string, { state: "answered-elsewhere" | "declined-elsewhere"; timer: ReturnType<typeof setTimeout> }>();
  private openCallId: string | null = null;
  private current: CallsView = NO_CALLS;
  /** Changes run one at a time (a hang-up and an answer arriving together must not undo each other). */
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly ringMs: number;
  private readonly elsewhereShownMs: number;

  constructor(
    private readonly ctx: EngineContext,
    private readonly conversations: Conversations,
    private readonly outbox: Outbox,
    private readonly events: CallSignalsEvents,
    options: CallSignalsOptions = {},
  ) {
    this.ringMs = options.ringMs ?? RING_MS;
    this.elsewhereShownMs = options.elsewhereShownMs ?? ELSEWHERE_SHOWN_MS;
  }

  /** Reads the kept calls; a call that was ringing when the tab closed rings on for what is left of its time, or is missed. */
  async load(): Promise<void> {
    await this.exclusive(async () => {
      const ids = (await this.ctx.storage.getValue<string[]>(CALL_KV.index)) ?? [];
      for (const id of ids) {
        const record = await this.ctx.storage.getValue<CallRecord>(CALL_KV.call(id));
        if (record) this.records.set(id, record);
      }
      for (const record of this.records.values()) {
        if (record.state !== "ringing") continue;
        this.learn(this.peopleOf(record));
        if ((record.ringUntil ?? 0) > this.ctx.now()) this.ring(record);
        else await this.finish(record, "missed", null);
      }
    });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.ringTimers.values()) clearTimeout(timer);
    for (const { timer } of this.elsewhere.values()) clearTimeout(timer);
  }

  view(): CallsView {
    return this.current;
  }

  // Commands of this device

  async start(conversationId: string, kind: CallKind): Promise<string> {
    const group = this.conversations.group(conversationId);
    if (group && group.membership !== "member") throw new ChatEngineError("chat_group_not_member");
    if (!group && conversationId === this.ctx.me.userId) throw new ChatEngineError("chat_call_unknown");
    const record: CallRecord = {
      callId: crypto.randomUUID(),
      room: toHex(this.ctx.random(16)),
      kind,
      conversationId,
      group: !!group,
      callerId: this.ctx.me.userId,
      startedHere: true,
      at: this.ctx.now(),
      state: "calling",
      keys: [{ index: 0, key: toBase64Url(this.ctx.random(32)) }],
      participants: {},
      inviteSent: false,
      ringUntil: null,
      durationMs: null,
    };
    await this.exclusive(() => this.save(record));
    if (!group) this.learn([conversationId]);
    return record.room;
  }

  async accept(callId: string): Promise<string> {
    return this.exclusive(async () => {
      const record = this.records.get(callId);
      if (!record || (record.state !== "ringing" && record.state !== "accepted")) throw new ChatEngineError("chat_call_unknown");
      this.stopRinging(callId);
      await this.save({ ...record, state: "accepted", ringUntil: null });
      return record.room;
    });
  }

  async decline(callId: string): Promise<void> {
    await this.exclusive(async () => {
      const record = this.records.get(callId);
      if (!record || record.state !== "ringing") return;
      await this.finish(record, "declined", null, { declinedBy: this.ctx.me.userId });
      // 1:1: the caller learns it; in a group only our own other devices stop ringing.
      const recipientIds = record.group ? [this.ctx.me.userId] : [record.callerId, this.ctx.me.userId];
      await this.outbox.enqueue({ recipientIds, content: { t: "call-decline", callId } });
    });
  }

  async open(room: string): Promise<void> {
    const record = [...this.records.values()].find((r) => r.room === room);
    if (!record) throw new ChatEngineError("chat_call_unknown");
    this.openCallId = record.callId;
    this.publish();
    // A call page is a fresh page load: the people in the call may not be known to it yet.
    this.learn(this.peopleOf(record));
  }

  async joined(callId: string, participantId: string): Promise<void> {
    await this.exclusive(async () => {
      const record = this.records.get(callId);
      if (!record || FINISHED_CALL_STATES.has(record.state)) throw new ChatEngineError("chat_call_unknown");
      const me = this.ctx.me.userId;
      const next: CallRecord = { ...record, participants: { ...record.participants, [participantId]: me }, inviteSent: true };
      if (record.startedHere && !record.inviteSent) {
        const key = record.keys.at(-1)!;
        const target = record.group ? { groupId: record.conversationId } : { to: record.conversationId };
        const content: ChatContent = {
          t: "call-invite",
          callId,
          room: record.room,
          kind: record.kind,
          key: key.key,
          keyIndex: key.index,
          participantId,
          sentAt: this.ctx.now(),
          ...target,
        };
        await this.save(next);
        await this.outbox.enqueue({ recipientIds: this.recipientsOf(record), content });
        return;
      }
      await this.save({ ...next, state: record.startedHere ? record.state : "joined" });
      await this.outbox.enqueue({ recipientIds: this.recipientsOf(record), content: { t: "call-accept", callId, participantId } });
    });
  }

  async rotateKey(callId: string, leftParticipantIds: readonly string[]): Promise<void> {
    await this.exclusive(async () => {
      const record = this.records.get(callId);
      if (!record?.group || FINISHED_CALL_STATES.has(record.state) || !record.keys.length) return;
      const me = this.ctx.me.userId;
      const left = new Set(leftParticipantIds.map((id) => record.participants[id]).filter((userId) => userId !== undefined && userId !== me));
      const key = { index: record.keys.at(-1)!.index + 1, key: toBase64Url(this.ctx.random(32)) };
      await this.save({ ...record, keys: [...record.keys, key].slice(-KEPT_KEYS) });
      const recipientIds = this.recipientsOf(record).filter((userId) => !left.has(userId));
      await this.outbox.enqueue({ recipientIds, content: { t: "call-rekey", callId, key: key.key, keyIndex: key.index } });
    });
  }

  async end(callId: string, options: { durationMs: number | null; lastOne: boolean }): Promise<void> {
    await this.exclusive(async () => {
      const record = this.records.get(callId);
      if (!record || FINISHED_CALL_STATES.has(record.state)) return;
      const durationMs = options.durationMs === null ? null : Math.max(0, Math.round(options.durationMs));
      await this.finish(record, durationMs === null ? "missed" : "ended", durationMs);
      const me = this.ctx.me.userId;
      // 1:1: the other side hangs up too. Group: those still ringing stop when the last one leaves; our other devices always learn it.
      const recipientIds = !record.group || options.lastOne ? this.recipientsOf(record) : [me];
      await this.outbox.enqueue({ recipientIds, content: { t: "call-end", callId, durationMs: durationMs ?? 0 } });
    });
  }

  // What other devices say

  async receive(sender: ProtocolAddress, content: CallContent): Promise<void> {
    await this.exclusive(async () => {
      if (content.t === "call-invite") return this.onInvite(sender.userId, content);
      const record = this.records.get(content.callId);
      if (!record || !this.mayTakePart(record, sender.userId)) return;
      switch (content.t) {
        case "call-accept":
          return this.onAccept(record, sender.userId, content.participantId);
        case "call-decline":
          return this.onDecline(record, sender.userId);
        case "call-end":
          return this.onEnd(record, content.durationMs);
        case "call-rekey":
          return this.onRekey(record, sender.userId, content);
      }
    });
  }

  private async onInvite(from: string, invite: Extract<CallContent, { t: "call-invite" }>): Promise<void> {
    const me = this.ctx.me.userId;
    const fromSelf = from === me;
    let conversationId: string;
    if (invite.groupId) {
      const group = this.conversations.group(invite.groupId);
      if (group?.membership !== "member" || !group.members.some((m) => m.userId === from)) return;
      conversationId = invite.groupId;
    } else {
      // 1:1: to us from the peer, or from our own other device to the peer.
      if (fromSelf ? invite.to === me : invite.to !== me) return;
      conversationId = fromSelf ? invite.to! : from;
    }
    // A call id is the caller's to choose: one already known here is never taken over.
    if (this.records.has(invite.callId)) return;
    const now = this.ctx.now();
    const record: CallRecord = {
      callId: invite.callId,
      room: invite.room,
      kind: invite.kind,
      conversationId,
      group: !!invite.groupId,
      callerId: from,
      startedHere: false,
      at: now,
      // Our own other device calling: this one keeps quiet (and keeps the line once it ends).
      state: fromSelf ? "calling" : "ringing",
      keys: [{ index: invite.keyIndex, key: invite.key }],
      participants: { [invite.participantId]: from },
      inviteSent: true,
      ringUntil: null,
      durationMs: null,
    };
    this.learn([from, conversationId]);
    if (fromSelf) return this.save(record);
    if (now - invite.sentAt > STALE_INVITE_MS) return this.finish(record, "missed", null);
    const ringing = { ...record, ringUntil: now + this.ringMs };
    await this.save(ringing);
    this.ring(ringing);
  }

  private async onAccept(record: CallRecord, from: string, participantId: string): Promise<void> {
    const known = record.participants[participantId];
    // A participant id names one device for the whole call: nobody may claim another's.
    if (known !== undefined && known !== from) return;
    const next = { ...record, participants: { ...record.participants, [participantId]: from } };
    this.learn([from]);
    if (from === this.ctx.me.userId && record.state === "ringing") {
      this.stopRinging(record.callId);
      this.showElsewhere(record.callId, "answered-elsewhere");
      return this.save({ ...next, state: "answered-elsewhere", ringUntil: null });
    }
    await this.save(next);
  }

  private async onDecline(record: CallRecord, from: string): Promise<void> {
    const me = this.ctx.me.userId;
    if (FINISHED_CALL_STATES.has(record.state)) return;
    if (from === me) {
      // Declined on another device of ours.
      if (record.state !== "ringing") return;
      this.showElsewhere(record.callId, "declined-elsewhere");
      return this.finish(record, "declined", null, { declinedBy: me });
    }
    // 1:1: the callee declined our call (on every device of ours, the caller's).
    if (!record.group && record.callerId === me && from === record.conversationId) await this.finish(record, "declined", null, { declinedBy: from });
  }

  private async onEnd(record: CallRecord, durationMs: number): Promise<void> {
    if (FINISHED_CALL_STATES.has(record.state)) return;
    if (record.state === "ringing") return this.finish(record, "missed", null);
    // In a group, a device in the call itself leaves when its page says so: others leaving end nothing for it.
    const inCallHere = record.state === "accepted" || record.state === "joined" || (record.state === "calling" && record.startedHere);
    if (record.group && inCallHere) return;
    await this.finish(record, durationMs > 0 ? "ended" : "missed", durationMs > 0 ? durationMs : null);
  }

  private async onRekey(record: CallRecord, from: string, rekey: Extract<CallContent, { t: "call-rekey" }>): Promise<void> {
    // Only from someone in the call (named by its signalling), for a group call still going on here.
    if (!record.group || FINISHED_CALL_STATES.has(record.state) || !Object.values(record.participants).includes(from)) return;
    const latest = record.keys.at(-1);
    if (latest) {
      if (rekey.keyIndex < latest.index) return;
      // Two devices that both thought themselves lowest made a key of the same generation: everyone keeps the same one of the two.
      if (rekey.keyIndex === latest.index && rekey.key >= latest.key) return;
    }
    const kept = record.keys.filter((k) => k.index !== rekey.keyIndex);
    await this.save({ ...record, keys: [...kept, { index: rekey.keyIndex, key: rekey.key }].slice(-KEPT_KEYS) });
  }

  // Helpers

  /** The sender belongs to the call: 1:1 the two people (our own devices included); group: a member. */
  private mayTakePart(record: CallRecord, userId: string): boolean {
    if (userId === this.ctx.me.userId) return true;
    if (!record.group) return userId === record.conversationId;
    return !!this.conversations.group(record.conversationId)?.members.some((m) => m.userId === userId);
  }

  /** Whose devices hear about the call: the peer and us (1:1), or the group's members (us included). */
  private recipientsOf(record: CallRecord): string[] {
    const me = this.ctx.me.userId;
    if (!record.group) return [record.conversationId, me];
    const group = this.conversations.group(record.conversationId);
    const members = group?.membership === "member" ? group.members.map((m) => m.userId) : [];
    return [...new Set([...members, me])];
  }

  /** Ends the call here: its state, its line in the conversation, no keys kept. */
  private async finish(
    record: CallRecord,
    state: "declined" | "missed" | "ended",
    durationMs: number | null,
    who: { declinedBy?: string } = {},
  ): Promise<void> {
    this.stopRinging(record.callId);
    await this.save({ ...record, state, durationMs, keys: [], ringUntil: null });
    const notice: CallNoticeKind = state === "declined" ? "call-declined" : state === "missed" ? "call-missed" : "call-ended";
    const missedHere = state === "missed" && record.callerId !== this.ctx.me.userId;
    await this.conversations.store(
      noticeRecord({
        id: record.callId,
        conversationId: record.conversationId,
        notice,
        at: this.ctx.now(),
        actorId: record.callerId,
        subjectIds: who.declinedBy ? [who.declinedBy] : [],
        detail: callNoticeDetail(record.kind, durationMs),
      }),
      { unread: missedHere },
    );
  }

  /** Everyone the call names: its caller, the peer (1:1) and the participants. */
  private peopleOf(record: CallRecord): string[] {
    return [record.callerId, ...(record.group ? [] : [record.conversationId]), ...Object.values(record.participants)];
  }

  /** Asks the directory for people not known yet (group ids are no people: it answers nothing for them), then shows their names. */
  private learn(userIds: string[]): void {
    void this.conversations
      .learnPeople(userIds.filter((id) => !this.conversations.group(id)))
      .then(() => this.publish())
      .catch(() => undefined);
  }

  private ring(record: CallRecord): void {
    this.stopRinging(record.callId);
    const wait = Math.max(0, (record.ringUntil ?? 0) - this.ctx.now());
    const timer = setTimeout(() => {
      this.ringTimers.delete(record.callId);
      void this.exclusive(async () => {
        const now = this.records.get(record.callId);
        if (now?.state === "ringing") await this.finish(now, "missed", null);
      }).catch(() => undefined);
    }, wait);
    this.ringTimers.set(record.callId, timer);
  }

  private stopRinging(callId: string): void {
    const timer = this.ringTimers.get(callId);
    if (timer) clearTimeout(timer);
    this.ringTimers.delete(callId);
  }

  private showElsewhere(callId: string, state: "answered-elsewhere" | "declined-elsewhere"): void {
    const previous = this.elsewhere.get(callId);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => {
      this.elsewhere.delete(callId);
      this.publish();
    }, this.elsewhereShownMs);
    this.elsewhere.set(callId, { state, timer });
  }

  private async save(record: CallRecord): Promise<void> {
    const { storage } = this.ctx;
    const isNew = !this.records.has(record.callId);
    this.records.set(record.callId, record);
    await storage.setValue(CALL_KV.call(record.callId), record);
    if (!isNew) return;
    const ids = [...((await storage.getValue<string[]>(CALL_KV.index)) ?? []).filter((id) => id !== record.callId), record.callId];
    for (const old of ids.splice(0, Math.max(0, ids.length - KEPT_CALLS))) {
      this.records.delete(old);
      this.stopRinging(old);
      await storage.deleteValue(CALL_KV.call(old));
    }
    await storage.setValue(CALL_KV.index, ids);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run.finally(() => this.publish());
  }

  private publish(): void {
    if (this.stopped) return;
    const incoming: IncomingCallView[] = [];
    for (const record of this.records.values()) {
      const shown = this.elsewhere.get(record.callId)?.state;
      if (record.state !== "ringing" && !shown) continue;
      incoming.push({
        callId: record.callId,
        kind: record.kind,
        caller: this.conversations.personNow(record.callerId),
        group: record.group ? { id: record.conversationId, name: this.conversations.group(record.conversationId)?.name ?? "" } : null,
        state: record.state === "ringing" ? "ringing" : (shown ?? "ringing"),
      });
    }
    const open = this.openCallId ? this.records.get(this.openCallId) : undefined;
    this.current = { incoming, open: open ? this.callView(open) : null };
    this.events.changed();
  }

  private callView(record: CallRecord): CallView {
    const person = (userId: string) => this.conversations.personNow(userId);
    const group = record.group ? this.conversations.group(record.conversationId) : undefined;
    return {
      callId: record.callId,
      room: record.room,
      kind: record.kind,
      conversationId: record.conversationId,
      peer: record.group ? null : person(record.conversationId),
      group: group ? { id: group.id, name: group.name } : null,
      outgoing: record.callerId === this.ctx.me.userId,
      state: record.state as CallState,
      maxParticipants: record.group ? Math.min(MAX_CALL_PARTICIPANTS, Math.max(2, group?.members.length ?? 2)) : DIRECT_CALL_CAP,
      keys: record.keys.map((k) => ({ index: k.index, key: fromBase64Url(k.key) })),
      participants: Object.fromEntries(Object.entries(record.participants).map(([id, userId]) => [id, person(userId)])),
      durationMs: record.durationMs,
    };
  }
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
