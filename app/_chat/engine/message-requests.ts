// Message requests: a first 1:1 message from someone this person does not follow, or a group
// someone they do not follow added them to, waits in Requests. Until it is accepted the sender
// learns nothing: no delivery receipt (Conversations.mayTell, the one gate every receipt and typing
// signal asks), no automatic download of its files. The state lives on the device, in the
// conversation record (so it survives a restart and travels in backups); accepting or deleting on
// one device tells this person's other devices with a small "request-answer" content to own devices.
// Whether someone is followed is asked of the server (it holds the follows already) and cached.
import { serverErrorOf } from "./api-errors";
import type { ChatContent } from "./chat-content";
import { ChatEngineError } from "./chat-engine-error";
import type { Conversations } from "./conversations";
import type { DeliveryReceipts } from "./delivery-receipts";
import type { EngineContext } from "./engine-context";
import type { Outbox } from "./outbox";
import type { MessageRecord } from "./records";

/** How long an answer about a follow is believed before it is asked again. */
export const FOLLOW_CACHE_MS = 5 * 60 * 1000;
const HISTORY_PAGE = 200;

export interface MessageRequestsParts {
  conversations: Conversations;
  outbox: Outbox;
  receipts: DeliveryReceipts;
  /** Starts the downloads a received message's files would have started by themselves. */
  downloadAutomatically(record: MessageRecord): void;
  /** Leaves a group (a group request that is deleted or whose adder is blocked). */
  leaveGroup(groupId: string): Promise<void>;
}

export class MessageRequests {
  private readonly follows = new Map<string, { follows: boolean; at: number }>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly parts: MessageRequestsParts,
  ) {}

  /**
   * Whether something new from `userId` (a first message, or adding us to a group) is a request:
   * they are not followed. Not knowing (offline) counts as not followed: holding a receipt back
   * costs less than telling a stranger.
   */
  async fromStranger(userId: string): Promise<boolean> {
    if (userId === this.ctx.me.userId) return false;
    const cached = this.follows.get(userId);
    if (cached && this.ctx.now() - cached.at < FOLLOW_CACHE_MS) return !cached.follows;
    try {
      const { userIds } = await this.ctx.client.chat.directory.followed.query({ userIds: [userId] });
      const follows = userIds.includes(userId);
      this.follows.set(userId, { follows, at: this.ctx.now() });
      return !follows;
    } catch {
      return !cached?.follows;
    }
  }

  /** Accepts a request: it joins the conversations, the receipts held back go out, files download as usual; other devices follow. */
  async accept(conversationId: string): Promise<void> {
    if (!(await this.parts.conversations.accept(conversationId))) return;
    await this.tellOwnDevices(conversationId, "accepted");
    await this.releaseHeld(conversationId);
  }

  /** Accepts a request before this person writes in it (writing is answering). */
  async acceptBeforeWriting(conversationId: string): Promise<void> {
    if (this.parts.conversations.requestFrom(conversationId)) await this.accept(conversationId);
  }

  /** Deletes a request here and on the other devices (a group request is left first). */
  async delete(conversationId: string): Promise<void> {
    if (!this.parts.conversations.requestFrom(conversationId)) throw new ChatEngineError("chat_request_unknown");
    await this.leaveIfGroup(conversationId);
    await this.parts.conversations.deleteConversation(conversationId);
    await this.tellOwnDevices(conversationId, "deleted");
  }

  /** Blocks whom a request is from (Hearth's block, made by the server), then deletes it. */
  async block(conversationId: string): Promise<void> {
    const from = this.parts.conversations.requestFrom(conversationId);
    if (!from) throw new ChatEngineError("chat_request_unknown");
    try {
      await this.ctx.client.chat.blocks.block.mutate({ userId: from });
    } catch (error) {
      throw new ChatEngineError(serverErrorOf(error).network ? "chat_offline" : "chat_block_failed");
    }
    this.follows.set(from, { follows: false, at: this.ctx.now() });
    await this.delete(conversationId);
  }

  /** Another device of this person answered a request. */
  async answered(content: Extract<ChatContent, { t: "request-answer" }>): Promise<void> {
    if (content.answer === "accepted") await this.parts.conversations.accept(content.conversationId);
    else if (this.parts.conversations.requestFrom(content.conversationId)) await this.parts.conversations.deleteConversation(content.conversationId);
  }

  private async tellOwnDevices(conversationId: string, answer: "accepted" | "deleted"): Promise<void> {
    await this.parts.outbox.enqueue({ recipientIds: [this.ctx.me.userId], content: { t: "request-answer", conversationId, answer } });
  }

  private async leaveIfGroup(conversationId: string): Promise<void> {
    if (this.parts.conversations.group(conversationId)?.membership === "member") await this.parts.leaveGroup(conversationId);
  }

  /** What was held back while it was a request: a delivery receipt for every message received, and the automatic downloads. */
  private async releaseHeld(conversationId: string): Promise<void> {
    let before: number | undefined;
    for (;;) {
      const page = await this.ctx.storage.listMessages<MessageRecord>(conversationId, { ...(before !== undefined && { before }), limit: HISTORY_PAGE });
      for (const record of page) {
        if (record.kind !== "message" || record.outgoing) continue;
        this.parts.receipts.queue(record.senderUserId ?? conversationId, record.id);
        this.parts.downloadAutomatically(record);
      }
      if (page.length < HISTORY_PAGE) return;
      before = page[0]!.sortAt;
    }
  }
}
