// The loaded part of each conversation, oldest first: pages of messages read from the storage on
// demand, and records put in as they are stored or change state. Views are rebuilt on each change
// (never mutated), so React sees a new object exactly when a thread changed.
import type { ChatStorage } from "../storage";
import { toChatMessage, toNotice, type PersonLookup } from "./message-record";
import type { MessageRecord } from "./records";
import type { ChatMessage, ConversationNotice } from "./types";

export const THREAD_PAGE_SIZE = 100;

export interface ThreadView {
  messages: readonly ChatMessage[];
  notices: readonly ConversationNotice[];
  hasOlder: boolean;
}

interface Thread {
  records: MessageRecord[];
  hasOlder: boolean;
  loading: boolean;
  view: ThreadView;
}

export const EMPTY_THREAD_VIEW: ThreadView = { messages: [], notices: [], hasOlder: false };

export class ThreadCache {
  private readonly threads = new Map<string, Thread>();

  constructor(
    private readonly storage: ChatStorage,
    /** Names senders and the people in notices. */
    private readonly personOf: PersonLookup,
    private readonly me: string,
    /** A thread's view changed. */
    private readonly changed: () => void,
    /** Others' read receipts show only while this device's are on. */
    private readonly showReads: () => boolean = () => true,
  ) {}

  /** Rebuilds every loaded view (the names of people in them became known). */
  refreshAll(): void {
    for (const [conversationId, thread] of this.threads) this.refresh(conversationId, thread);
  }

  /** The loaded thread; the first page is loaded on first ask (the view changes when it arrives). */
  view(conversationId: string): ThreadView {
    const thread = this.threads.get(conversationId);
    if (thread) return thread.view;
    void this.loadOlder(conversationId);
    return EMPTY_THREAD_VIEW;
  }

  async loadOlder(conversationId: string): Promise<void> {
    let thread = this.threads.get(conversationId);
    if (thread?.loading || (thread && !thread.hasOlder)) return;
    if (!thread) {
      thread = { records: [], hasOlder: true, loading: false, view: EMPTY_THREAD_VIEW };
      this.threads.set(conversationId, thread);
    }
    thread.loading = true;
    try {
      const before = thread.records[0]?.sortAt;
      const page = await this.storage.listMessages<MessageRecord>(conversationId, { ...(before !== undefined ? { before } : {}), limit: THREAD_PAGE_SIZE });
      const known = new Set(thread.records.map((r) => r.id));
      thread.records = [...page.filter((r) => !known.has(r.id)), ...thread.records];
      thread.hasOlder = page.length >= THREAD_PAGE_SIZE;
    } finally {
      thread.loading = false;
    }
    this.refresh(conversationId, thread);
  }

  /** Forgets a conversation's loaded thread (it was deleted). */
  drop(conversationId: string): void {
    if (this.threads.delete(conversationId)) this.changed();
  }

  /** A stored or changed record: replaces the one with its id, or goes in at its place by time. Ignored for threads not loaded. */
  put(record: MessageRecord): void {
    const thread = this.threads.get(record.conversationId);
    if (!thread) return;
    const index = thread.records.findIndex((r) => r.id === record.id);
    if (index >= 0) thread.records = thread.records.with(index, record);
    else {
      const at = thread.records.findLastIndex((r) => r.sortAt <= record.sortAt);
      thread.records = [...thread.records.slice(0, at + 1), record, ...thread.records.slice(at + 1)];
    }
    this.refresh(record.conversationId, thread);
  }

  /** Reads a loaded thread again from the storage (many lines came at once: a linked device's history). */
  async reload(conversationId: string): Promise<void> {
    if (!this.threads.delete(conversationId)) return;
    await this.loadOlder(conversationId);
  }

  /** A deleted record leaves its loaded thread. */
  remove(record: MessageRecord): void {
    const thread = this.threads.get(record.conversationId);
    if (!thread?.records.some((r) => r.id === record.id)) return;
    thread.records = thread.records.filter((r) => r.id !== record.id);
    this.refresh(record.conversationId, thread);
  }

  private refresh(conversationId: string, thread: Thread): void {
    const messages: ChatMessage[] = [];
    const notices: ConversationNotice[] = [];
    const byId = new Map(thread.records.map((r) => [r.id, r]));
    const options = { me: this.me, showReads: this.showReads(), loaded: (id: string) => byId.get(id) };
    for (const r of thread.records) {
      if (r.kind === "notice" && r.notice) notices.push(toNotice({ ...r, notice: r.notice }, this.personOf, this.me));
      else if (r.kind === "message") messages.push(toChatMessage(r, this.personOf, options));
    }
    thread.view = { messages, notices, hasOlder: thread.hasOlder };
    this.changed();
  }
}
