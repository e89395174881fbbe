// The conversation list: one record per person written with (and what we trust of them, their
// contact record) or per group (its whole state), and who people are (cached from the directory).
// Storing a message moves its conversation up; a delivery state only ever advances, except for a retry.
import { serverErrorOf } from "./api-errors";
import { jpegDataUrl } from "./attachments/attachment-view";
import { ChatEngineError } from "./chat-engine-error";
import { refreshContact } from "./device-lists";
import type { EngineContext } from "./engine-context";
import type { GroupState } from "./groups/group-state";
import { KV, type ContactRecord, type ConversationRecord, type ConversationTimer, type GroupConversationRecord, type MessageRecord } from "./records";
import type { ThreadCache } from "./thread-cache";
import { toEngineError } from "./to-engine-error";
import type { ChatPerson, ConversationSummary, DeliveryState, GroupView } from "./types";

const rank: Record<DeliveryState, number> = { failed: 0, sending: 1, waiting: 2, sent: 3, delivered: 4 };
/** The directory answers at most this many ids per request. */
const DIRECTORY_IDS_PER_REQUEST = 100;

export interface ConversationsEvents {
  /** The lists as the UI shows them, latest activity first: conversations, and message requests apart. */
  publish(lists: { conversations: ConversationSummary[]; requests: ConversationSummary[] }): void;
  /** A message or a contact changed: worth backing up. */
  changed(): void;
  /** Opening a conversation found the person's account key changed. */
  identityChanged(userId: string): Promise<void>;
  /** People's names became known (views that show them are rebuilt). */
  peopleKnown(): void;
  /** A line as its thread shows it now (files moving add their progress, which is never stored). */
  shown(record: MessageRecord): MessageRecord;
  /** A new line was stored (a disappearing one is then timed). */
  stored(record: MessageRecord): void;
}

export class Conversations {
  private readonly conversations = new Map<string, ConversationRecord>();
  private readonly contacts = new Map<string, ContactRecord>();
  private readonly people = new Map<string, ChatPerson>();
  /** User ids personNow asked the directory about: once each per session (one it does not know stays unnamed, and is not asked again on every render). */
  private readonly asked = new Set<string>();
  /** Changes to stored lines, one at a time (see `updateMessage`). */
  private messageUpdates: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: EngineContext,
    private readonly threads: ThreadCache,
    private readonly events: ConversationsEvents,
  ) {}

  /** Reads the stored conversations and their contacts. */
  async load(): Promise<void> {
    for (const conversation of await this.ctx.storage.listConversations<ConversationRecord>()) {
      this.conversations.set(conversation.id, conversation);
      if (conversation.kind === "group") continue;
      if (conversation.peer.handle) this.people.set(conversation.id, conversation.peer);
      const contact = await this.ctx.storage.getValue<ContactRecord>(KV.contact(conversation.id));
      if (contact) this.contacts.set(contact.userId, contact);
    }
    this.publish();
    void this.learnPeople([...this.conversations.values()].flatMap((c) => (c.kind === "group" ? c.group.members.map((m) => m.userId) : [])));
  }

  has(conversationId: string): boolean {
    return this.conversations.has(conversationId);
  }

  /** A group this device holds (as a member or a former one). */
  group(groupId: string): GroupState | undefined {
    const record = this.conversations.get(groupId);
    return record?.kind === "group" ? record.group : undefined;
  }

  /** Every conversation with a person (for the group member picker). */
  directPeers(): ChatPerson[] {
    return [...this.conversations.values()].flatMap((c) => (c.kind === "group" || !c.peer.handle ? [] : [c.peer]));
  }

  /** Takes a contact record as stored (after a refresh or a change of trust) into the list. */
  setContact(contact: ContactRecord): void {
    this.contacts.set(contact.userId, contact);
    this.publish();
  }

  publish(): void {
    const summaries: ConversationSummary[] = [...this.conversations.values()]
      // A 1:1 conversation whose messages all disappeared stays listed (its timer notice remains).
      .filter((c) => c.lastMessage || c.kind === "group" || c.timer)
      .sort((a, b) => b.lastActivityAt - a.lastActivityAt)
      .map((c) => {
        const last = c.lastMessage;
        const lastMessage = last
          ? {
              body: last.body,
              at: last.at,
              outgoing: last.outgoing,
              state: last.state,
              senderName: last.senderUserId ? this.personNow(last.senderUserId).displayName : null,
              attachments: last.attachments ?? 0,
              deleted: !!last.deleted,
            }
          : null;
        const disappearingSeconds = c.timer?.seconds ?? 0;
        const request = c.request ? this.personNow(c.request.from) : null;
        if (c.kind === "group") return { kind: "group", id: c.id, group: this.groupView(c.group), lastMessage, unread: c.unread, request, disappearingSeconds };
        const contact = this.contacts.get(c.id);
        return {
          kind: "direct",
          id: c.id,
          peer: c.peer,
          lastMessage,
          unread: c.unread,
          request: c.request ? c.peer : null,
          disappearingSeconds,
          verified: contact?.verified ?? false,
          identityChanged: contact?.identityChanged ?? false,
        };
      });
    this.events.publish({ conversations: summaries.filter((c) => !c.request), requests: summaries.filter((c) => c.request) });
  }

  /**
   * Whether this device may let the people of a conversation learn anything of what it does there:
   * delivery and read receipts, typing. The one place that decides it: not while the conversation is
   * a message request (nothing until accepted, not even "delivered"). A conversation this device
   * does not hold yet is one this person is starting, so they may.
   */
  mayTell(conversationId: string): boolean {
    return !this.conversations.get(conversationId)?.request;
  }

  /** The person a message request is from, while the conversation is one. */
  requestFrom(conversationId: string): string | null {
    return this.conversations.get(conversationId)?.request?.from ?? null;
  }

  /** Makes a message request an ordinary conversation; false when it was none. */
  async accept(conversationId: string): Promise<boolean> {
    const conversation = this.conversations.get(conversationId);
    if (!conversation?.request) return false;
    const { request: _accepted, ...accepted } = conversation;
    await this.save(accepted);
    this.events.changed();
    return true;
  }

  /** Deletes a conversation and its messages from this device. */
  async deleteConversation(conversationId: string): Promise<void> {
    if (!this.conversations.delete(conversationId)) return;
    await this.ctx.storage.deleteConversation(conversationId);
    this.threads.drop(conversationId);
    this.publish();
    this.events.changed();
  }

  private groupView(group: GroupState): GroupView {
    const me = this.ctx.me.userId;
    const members = group.members
      .map((m) => ({ person: this.personNow(m.userId), admin: m.admin, me: m.userId === me }))
      .sort((a, b) => Number(b.admin) - Number(a.admin) || a.person.displayName.localeCompare(b.person.displayName));
    return {
      id: group.id,
      name: group.name,
      description: group.description,
      pictureUrl: group.picture ? jpegDataUrl(group.picture) : null,
      members,
      amAdmin: group.membership === "member" && group.members.some((m) => m.userId === me && m.admin),
      membership: group.membership,
    };
  }

  /**
   * Who a user id is as far as known now; a placeholder (no handle) until the directory answers,
   * which is asked at once (a former member named in a notice or a message is no current member).
   */
  personNow(userId: string): ChatPerson {
    const known = this.people.get(userId);
    if (known) return known;
    if (!this.asked.has(userId)) {
      this.asked.add(userId);
      queueMicrotask(() => void this.learnPeople([userId]));
    }
    return { userId, handle: "", displayName: "", avatarUrl: null };
  }

  /** Asks the directory for the people not known yet, then rebuilds what shows them. */
  async learnPeople(userIds: readonly string[]): Promise<void> {
    const missing = [...new Set(userIds)].filter((id) => !this.people.has(id));
    if (!missing.length) return;
    for (let i = 0; i < missing.length; i += DIRECTORY_IDS_PER_REQUEST) {
      const found = await this.ctx.client.chat.directory.byIds.query({ userIds: missing.slice(i, i + DIRECTORY_IDS_PER_REQUEST) }).catch(() => []);
      for (const person of found) this.people.set(person.userId, person);
    }
    this.publish();
    this.events.peopleKnown();
  }

  /** The person behind a user id, from the cache or the directory. */
  async person(userId: string): Promise<ChatPerson> {
    const known = this.people.get(userId);
    if (known) return known;
    const [found] = await this.ctx.client.chat.directory.byIds.query({ userIds: [userId] }).catch(() => []);
    const person = found ?? { userId, handle: "", displayName: "", avatarUrl: null };
    // Never cache a person with no handle: the directory may know them next time.
    if (found) this.people.set(userId, person);
    return person;
  }

  /** Whom a 1:1 conversation is with, as it shows them. */
  async peer(userId: string): Promise<ChatPerson> {
    const known = this.conversations.get(userId);
    return known && known.kind !== "group" ? known.peer : await this.person(userId);
  }

  /**
   * Finds the person by handle, refreshes the conversation's picture of them, and notices a changed
   * key. Someone with no device yet can be written to all the same: what is sent waits for them.
   */
  async open(handle: string): Promise<ChatPerson> {
    let person: ChatPerson;
    try {
      person = await this.ctx.client.chat.directory.byHandle.query({ handle });
    } catch (error) {
      const { appCode, code } = serverErrorOf(error);
      throw new ChatEngineError(
        appCode === "BLOCKED" ? "chat_blocked" : code === "NOT_FOUND" || code === "BAD_REQUEST" ? "chat_person_not_found" : "chat_offline",
      );
    }
    this.people.set(person.userId, person);
    const known = this.conversations.get(person.userId);
    if (
      known?.kind !== "group" &&
      known &&
      (known.peer.displayName !== person.displayName || known.peer.avatarUrl !== person.avatarUrl || known.peer.handle !== person.handle)
    ) {
      await this.save({ ...known, peer: person });
    }
    // Checks now that they can receive messages, and notices a changed key before anything is sent.
    try {
      const { contact, changed } = await refreshContact(this.ctx, person.userId);
      if (changed) await this.events.identityChanged(person.userId);
      else this.setContact(contact);
    } catch (error) {
      if (error instanceof ChatEngineError && error.code === "chat_peer_not_set_up") return person;
      if (error instanceof ChatEngineError) throw error;
      if (!serverErrorOf(error).network) throw toEngineError(error);
    }
    return person;
  }

  /**
   * Records a line (idempotent by id) and moves its conversation up. Returns false when it was
   * known, or is a disappearing message already past its expiry (it is never stored).
   * `request`: a conversation this line begins is a message request from this person. Our own line
   * in a request accepts it (written on another device of ours, which accepted it there).
   */
  async store(record: MessageRecord, options: { unread: boolean; request?: { from: string } }): Promise<boolean> {
    const { storage } = this.ctx;
    if (record.expiresAt !== undefined && record.expiresAt <= this.ctx.now()) return false;
    if (await storage.getMessage(record.id)) return false;
    await storage.putMessage(record);
    this.threads.put(this.events.shown(record));
    const existing = this.conversations.get(record.conversationId);
    const base: ConversationRecord =
      existing?.kind === "group"
        ? existing
        : {
            ...(existing ?? {
              id: record.conversationId,
              lastActivityAt: 0,
              lastMessage: null,
              unread: 0,
              ...(options.request && { request: options.request }),
            }),
            peer: existing?.peer.handle ? existing.peer : await this.person(record.conversationId),
          };
    const ours = record.outgoing && record.kind === "message";
    const newer = record.kind === "message" && record.sortAt >= base.lastActivityAt;
    const { request, ...rest } = base;
    await this.save({
      ...rest,
      ...(request && !ours && { request }),
      lastActivityAt: Math.max(base.lastActivityAt, record.sortAt),
      lastMessage: newer ? lastLineOf(record) : base.lastMessage,
      unread: base.unread + (options.unread ? 1 : 0),
    });
    this.events.stored(record);
    this.events.changed();
    return true;
  }

  /** The stored conversation, or a new 1:1 one with the person (named from the directory); `request` as in `store`. */
  private async baseFor(conversationId: string, request?: { from: string }): Promise<ConversationRecord> {
    const existing = this.conversations.get(conversationId);
    if (existing?.kind === "group") return existing;
    return {
      ...(existing ?? { id: conversationId, lastActivityAt: 0, lastMessage: null, unread: 0, ...(request && { request }) }),
      peer: existing?.peer.handle ? existing.peer : await this.person(conversationId),
    };
  }

  /** The conversation's disappearing-message timer in seconds (0: off). */
  timerOf(conversationId: string): number {
    return this.timerChange(conversationId)?.seconds ?? 0;
  }

  /** The timer change in force in the conversation, if any was made. */
  timerChange(conversationId: string): ConversationTimer | undefined {
    return this.conversations.get(conversationId)?.timer;
  }

  /**
   * Takes a timer change if it is later than the one in force (by sent time, then id), so that
   * every device ends on the same timer whatever order concurrent changes arrive in.
   */
  async applyTimer(conversationId: string, timer: ConversationTimer, options: { request?: { from: string } } = {}): Promise<boolean> {
    const base = await this.baseFor(conversationId, options.request);
    const current = base.timer;
    if (current && (current.sentAt > timer.sentAt || (current.sentAt === timer.sentAt && current.id >= timer.id))) return false;
    await this.save({ ...base, timer });
    this.events.changed();
    return true;
  }

  /**
   * Creates or replaces a group's state (its notice is stored by the caller). `request`: a group
   * this device did not hold is a message request from this person (who added us).
   */
  async saveGroup(group: GroupState, at: number, request?: { from: string }): Promise<void> {
    const existing = this.conversations.get(group.id);
    const base: GroupConversationRecord =
      existing?.kind === "group"
        ? existing
        : { id: group.id, kind: "group", group, lastActivityAt: at, lastMessage: null, unread: 0, ...(request && { request }) };
    await this.save({ ...base, group });
    this.events.changed();
    void this.learnPeople(group.members.map((m) => m.userId));
  }

  /**
   * Sets an outgoing message's delivery state. `onlyUpgrade`: never move it back (a late "sent"
   * after "delivered"); `from`: a receipt from this person, believed only for a message in the
   * conversation with them, or in a group they are in (counted once per member there).
   */
  async setState(id: string, state: DeliveryState, options: { onlyUpgrade: boolean; from?: string }): Promise<void> {
    await this.updateMessage(id, (record) => {
      if (!record.outgoing) return null;
      const group = this.group(record.conversationId);
      if (options.from && group) {
        if (!group.members.some((m) => m.userId === options.from) || record.deliveredTo?.includes(options.from)) return null;
        const deliveredTo = [...(record.deliveredTo ?? []), options.from];
        const all = deliveredTo.length >= (record.recipientCount ?? 0);
        return { ...record, deliveredTo, state: all ? "delivered" : record.state };
      }
      if (record.state === state) return null;
      if (options.from && record.conversationId !== options.from) return null;
      if (options.onlyUpgrade && record.state && rank[record.state] >= rank[state]) return null;
      return { ...record, state };
    });
  }

  /**
   * Changes a stored line: `change` gets the stored record and returns the new one (or null for no
   * change). Changes run one at a time, each reading what the one before wrote, so a file's new status
   * and a delivery receipt arriving together do not undo each other.
   */
  updateMessage(id: string, change: (record: MessageRecord) => MessageRecord | null): Promise<MessageRecord | null> {
    const run = this.messageUpdates.then(async () => {
      const { storage } = this.ctx;
      const record = await storage.getMessage<MessageRecord>(id);
      const next = record && change(record);
      if (!record || !next) return null;
      await storage.putMessage(next);
      this.threads.put(this.events.shown(next));
      // The last line follows its message's state, edits and deletion, without moving the conversation up.
      const conversation = this.conversations.get(record.conversationId);
      const last = conversation?.lastMessage?.id === id ? lastLineOf(next) : null;
      if (conversation && last && !sameLastLine(conversation.lastMessage, last)) await this.save({ ...conversation, lastMessage: last });
      else this.publish();
      return next;
    });
    this.messageUpdates = run.catch(() => undefined);
    return run;
  }

  /** Deletes a line from this device; a conversation whose last line it was shows the one before. */
  async remove(record: MessageRecord): Promise<void> {
    await this.messageUpdates;
    const { storage } = this.ctx;
    await storage.deleteMessage(record.id);
    this.threads.remove(record);
    const conversation = this.conversations.get(record.conversationId);
    if (conversation?.lastMessage?.id === record.id) {
      const before = (await storage.listMessages<MessageRecord>(record.conversationId, { limit: 20 })).findLast((r) => r.kind === "message");
      await this.save({ ...conversation, lastMessage: before ? lastLineOf(before) : null });
    } else this.publish();
    this.events.changed();
  }

  unreadOf(conversationId: string): number {
    return this.conversations.get(conversationId)?.unread ?? 0;
  }

  /**
   * Takes in a chunk of the history our existing device sent when this one was linked: messages
   * not held yet (by id: nothing twice, whatever also came live), and conversations not held yet,
   * read (the person has seen them there). A conversation held already keeps its state here; its
   * last line moves only if the history's is newer.
   */
  async mergeHistory(chunk: { conversations: readonly ConversationRecord[]; messages: readonly MessageRecord[] }): Promise<MessageRecord[]> {
    const { storage } = this.ctx;
    const fresh: MessageRecord[] = [];
    for (const message of chunk.messages) if (!(await storage.getMessage(message.id))) fresh.push(message);
    await storage.putMessages(fresh);
    for (const conversation of chunk.conversations) {
      const existing = this.conversations.get(conversation.id);
      if (!existing) {
        await this.save({ ...conversation, unread: 0 });
        continue;
      }
      if (conversation.lastActivityAt <= existing.lastActivityAt) continue;
      await this.save({ ...existing, lastActivityAt: conversation.lastActivityAt, lastMessage: conversation.lastMessage });
    }
    for (const conversationId of new Set(fresh.map((m) => m.conversationId))) await this.threads.reload(conversationId);
    this.publish();
    this.events.changed();
    void this.learnPeople(chunk.conversations.flatMap((c) => (c.kind === "group" ? c.group.members.map((m) => m.userId) : [])));
    return fresh;
  }

  async markRead(conversationId: string): Promise<void> {
    const conversation = this.conversations.get(conversationId);
    if (!conversation || conversation.unread === 0) return;
    await this.save({ ...conversation, unread: 0 });
  }

  /** `count` of its unread messages were read on another device of this person. */
  async readElsewhere(conversationId: string, count: number): Promise<void> {
    const conversation = this.conversations.get(conversationId);
    if (!conversation || conversation.unread === 0 || count <= 0) return;
    await this.save({ ...conversation, unread: Math.max(0, conversation.unread - count) });
  }

  private async save(conversation: ConversationRecord): Promise<void> {
    this.conversations.set(conversation.id, conversation);
    await this.ctx.storage.putConversation(conversation);
    this.publish();
  }
}

type LastLine = NonNullable<ConversationRecord["lastMessage"]>;

/** A message as its conversation's last line. */
function lastLineOf(record: MessageRecord): LastLine {
  return {
    id: record.id,
    body: record.body,
    at: record.sentAt,
    outgoing: record.outgoing,
    state: record.state,
    senderUserId: record.senderUserId ?? null,
    ...(record.attachments?.length && { attachments: record.attachments.length }),
    ...(record.deleted && { deleted: true }),
  };
}

function sameLastLine(a: LastLine | null, b: LastLine): boolean {
  return !!a && a.body === b.body && a.state === b.state && a.attachments === b.attachments && a.deleted === b.deleted;
}
