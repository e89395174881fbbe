// Actions on a message after it was sent: reactions, edits, deletion for everyone or for this
// person (on each of their devices, told by a "sync" content), and read receipts. Each travels as its own sealed content (chat-content.ts) naming the
// message by id, and every device applies it to its own copy, checking it there:
// - only in the message's own conversation (an id from another conversation changes nothing);
// - edits and deletions only from the message's author, edits only written within EDIT_WINDOW_MS
//   of sending (the author's device refuses later ones; receivers ignore those claiming otherwise);
// - reactions and receipts only from someone in the conversation.
// Across devices, contents may overtake the message they act on (our own copy of a message and
// Bob's reaction to it come from different devices): such an action is kept, sealed in the
// storage, and applied when its message arrives (PENDING_ACTION_TTL_MS at most, MAX_PENDING_ACTIONS).
import type { ProtocolAddress } from "../crypto";
import type { Attachments } from "./attachments/attachments";
import { MAX_TEXT_LENGTH, type ChatContent } from "./chat-content";
import { ChatEngineError } from "./chat-engine-error";
import type { Conversations } from "./conversations";
import type { EngineContext } from "./engine-context";
import { authorOf } from "./message-record";
import { KV, type MessageRecord } from "./records";
import { EDIT_WINDOW_MS } from "./types";

export type MessageAction = Extract<ChatContent, { t: "reaction" | "edit" | "delete" }>;

/** A read receipt is applied per message id, like the actions. */
type ReadAction = { t: "read"; messageId: string };

interface PendingAction {
  action: MessageAction | ReadAction;
  senderUserId: string;
  conversationId: string;
  receivedAt: number;
}

export const PENDING_ACTION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_PENDING_ACTIONS = 1000;

export interface MessageActionsParts {
  ctx: EngineContext;
  conversations: Conversations;
  attachments: Attachments;
  /** Sends a conversation content (ChatSession.sendToConversation). */
  send(conversationId: string, content: ChatContent): Promise<void>;
  /** Sends a content to this person's own other devices only. */
  sendToOwnDevices(content: ChatContent): Promise<void>;
}

export class MessageActions {
  constructor(private readonly parts: MessageActionsParts) {}

  // This person's actions

  async react(messageId: string, emoji: string | null): Promise<void> {
    const record = await this.message(messageId);
    if (record.deleted) throw new ChatEngineError("chat_message_gone");
    const at = Math.max(this.parts.ctx.now(), (record.reactions?.[this.me]?.at ?? 0) + 1);
    await this.apply(record.id, { t: "reaction", messageId, emoji, at }, this.me);
    await this.parts.send(record.conversationId, { t: "reaction", messageId, emoji, at });
  }

  async edit(messageId: string, body: string): Promise<void> {
    const text = body.trim();
    const record = await this.message(messageId);
    if (!record.outgoing || record.deleted) throw new ChatEngineError("chat_not_yours");
    if (!text) throw new ChatEngineError("chat_edit_empty");
    if (text.length > MAX_TEXT_LENGTH) throw new ChatEngineError("chat_too_long");
    const editedAt = this.parts.ctx.now();
    if (!withinEditWindow(record, editedAt)) throw new ChatEngineError("chat_edit_too_late");
    if (text === record.body) return;
    await this.apply(record.id, { t: "edit", messageId, body: text, editedAt }, this.me);
    await this.parts.send(record.conversationId, { t: "edit", messageId, body: text, editedAt });
  }

  async deleteForEveryone(messageId: string): Promise<void> {
    const record = await this.message(messageId);
    if (!record.outgoing) throw new ChatEngineError("chat_not_yours");
    if (record.deleted) return;
    await this.apply(record.id, { t: "delete", messageId }, this.me);
    await this.parts.send(record.conversationId, { t: "delete", messageId });
  }

  /** Deletes the message here and on this person's other devices (not for the others in the conversation). */
  async deleteForMe(messageId: string): Promise<void> {
    const record = await this.parts.ctx.storage.getMessage<MessageRecord>(messageId);
    if (!record) return;
    await this.removeHere(record);
    await this.parts.sendToOwnDevices({ t: "sync", conversationId: record.conversationId, deleted: [record.id] });
  }

  /** What another device of this person did: deleted for me (messages read are Conversations' part). */
  async syncedDeletions(conversationId: string, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const record = await this.parts.ctx.storage.getMessage<MessageRecord>(id);
      if (record?.conversationId === conversationId) await this.removeHere(record);
    }
  }

  private async removeHere(record: MessageRecord): Promise<void> {
    await this.parts.conversations.remove(record);
    await this.parts.attachments.erase(record);
  }

  // Others' actions, and our own from our other devices

  /** An action received in `conversationId` (content-routing.ts's conversationIdOf). */
  async receive(sender: ProtocolAddress, conversationId: string, action: MessageAction): Promise<void> {
    await this.applyOrHold(action.messageId, conversationId, sender.userId, action);
  }

  /** A read receipt for our own messages. */
  async receiveRead(sender: ProtocolAddress, ids: readonly string[]): Promise<void> {
    if (sender.userId === this.me) return;
    for (const messageId of ids) await this.applyOrHold(messageId, null, sender.userId, { t: "read", messageId });
  }

  /** A message was stored: applies what came before it; returns it as it now stands. */
  async arrived(record: MessageRecord): Promise<MessageRecord> {
    const { storage } = this.parts.ctx;
    const pending = (await storage.getValue<PendingAction[]>(KV.pendingActions)) ?? [];
    const mine = pending.filter((p) => p.action.messageId === record.id);
    if (!mine.length) return record;
    await storage.setValue(
      KV.pendingActions,
      pending.filter((p) => p.action.messageId !== record.id),
    );
    let current = record;
    for (const p of mine) {
      if (p.conversationId !== record.conversationId) continue;
      current = (await this.apply(record.id, p.action, p.senderUserId)) ?? current;
    }
    return current;
  }

  private async applyOrHold(messageId: string, conversationId: string | null, senderUserId: string, action: MessageAction | ReadAction): Promise<void> {
    const { storage, now } = this.parts.ctx;
    const record = await storage.getMessage<MessageRecord>(messageId);
    if (record) {
      if (conversationId === null || record.conversationId === conversationId) await this.apply(messageId, action, senderUserId);
      return;
    }
    // A read receipt names no conversation: it is held for the conversation the message turns up in, checked then by `apply`.
    const held: PendingAction = { action, senderUserId, conversationId: conversationId ?? "", receivedAt: now() };
    const kept = ((await storage.getValue<PendingAction[]>(KV.pendingActions)) ?? []).filter((p) => now() - p.receivedAt < PENDING_ACTION_TTL_MS);
    await storage.setValue(KV.pendingActions, [...kept, held].slice(-MAX_PENDING_ACTIONS));
  }

  /** Applies an action from `senderUserId` to the stored message, if it may; returns the changed record, or null. */
  private async apply(messageId: string, action: MessageAction | ReadAction, senderUserId: string): Promise<MessageRecord | null> {
    const { conversations } = this.parts;
    const me = this.me;
    const isMember = (record: MessageRecord) => {
      const group = conversations.group(record.conversationId);
      if (group) return group.members.some((m) => m.userId === senderUserId);
      return senderUserId === me || senderUserId === record.conversationId;
    };
    let files: MessageRecord["attachments"];
    const changed = await conversations.updateMessage(messageId, (record) => {
      if (record.kind !== "message") return null;
      files = record.attachments;
      switch (action.t) {
        case "reaction":
          return isMember(record) ? withReaction(record, senderUserId, action.emoji, action.at) : null;
        case "edit":
          return authorOf(record, me) === senderUserId ? withEdit(record, action.body, action.editedAt) : null;
        case "delete":
          return authorOf(record, me) === senderUserId ? deletedRecord(record) : null;
        case "read":
          return isMember(record) ? withRead(record, senderUserId) : null;
      }
    });
    // The local copies of a deleted message's files go with it.
    if (changed && action.t === "delete" && files?.length) await this.parts.attachments.erase({ ...changed, attachments: files });
    return changed;
  }

  private async message(messageId: string): Promise<MessageRecord> {
    const record = await this.parts.ctx.storage.getMessage<MessageRecord>(messageId);
    if (!record || record.kind !== "message") throw new ChatEngineError("chat_message_gone");
    return record;
  }

  private get me(): string {
    return this.parts.ctx.me.userId;
  }
}

export function withinEditWindow(record: Pick<MessageRecord, "sentAt">, editedAt: number): boolean {
  return editedAt >= record.sentAt && editedAt - record.sentAt <= EDIT_WINDOW_MS;
}

/** A person's reaction, unless one they made later is already there. */
export function withReaction(record: MessageRecord, userId: string, emoji: string | null, at: number): MessageRecord | null {
  if (record.deleted) return null;
  const current = record.reactions?.[userId];
  if (current && current.at >= at) return null;
  return { ...record, reactions: { ...record.reactions, [userId]: { emoji, at } } };
}

/**
 * An edit written at `editedAt`: the newest text shows, and every earlier one goes into the
 * history, whatever order the edits arrive in. Refused outside the edit window.
 */
export function withEdit(record: MessageRecord, body: string, editedAt: number): MessageRecord | null {
  if (record.deleted || !withinEditWindow(record, editedAt)) return null;
  const currentAt = record.editedAt ?? record.sentAt;
  const edits = record.edits ?? [];
  if (editedAt === currentAt || edits.some((e) => e.at === editedAt)) return null;
  if (editedAt > currentAt) return { ...record, body, editedAt, edits: [...edits, { body: record.body, at: currentAt }] };
  return { ...record, edits: [...edits, { body, at: editedAt }].sort((a, b) => a.at - b.at) };
}

/** Deleted for everyone: nothing of what it said stays. */
export function deletedRecord(record: MessageRecord): MessageRecord | null {
  if (record.deleted) return null;
  const { attachments: _files, reactions: _reactions, edits: _edits, editedAt: _editedAt, quote: _quote, replyTo: _replyTo, ...kept } = record;
  return { ...kept, body: "", deleted: true };
}

/** A read receipt from `userId`: counted once per person (a read message was delivered too). */
export function withRead(record: MessageRecord, userId: string): MessageRecord | null {
  if (!record.outgoing || record.readBy?.includes(userId)) return null;
  const readBy = [...(record.readBy ?? []), userId];
  if (record.recipientCount === undefined) return { ...record, readBy, state: record.state === "failed" ? record.state : "delivered" };
  const deliveredTo = record.deliveredTo?.includes(userId) ? record.deliveredTo : [...(record.deliveredTo ?? []), userId];
  return { ...record, readBy, deliveredTo, state: deliveredTo.length >= record.recipientCount ? "delivered" : record.state };
}
