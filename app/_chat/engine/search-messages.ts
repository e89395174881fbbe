// Search in this browser's messages (they exist in clear nowhere else): a case-insensitive
// substring over every stored message, newest first.
import type { ChatStorage } from "../storage";
import type { Conversations } from "./conversations";
import { toChatMessage } from "./message-record";
import type { MessageRecord } from "./records";
import type { SearchHit } from "./types";

export const MAX_SEARCH_HITS = 50;

export async function searchMessages(options: { storage: ChatStorage; query: string; conversations: Conversations; me: string }): Promise<SearchHit[]> {
  const { conversations } = options;
  const needle = options.query.trim().toLocaleLowerCase();
  if (!needle) return [];
  const hits: SearchHit[] = [];
  const view = { me: options.me, showReads: false, loaded: () => undefined };
  for await (const batch of options.storage.iterateMessages<MessageRecord>(500)) {
    for (const r of batch) {
      if (r.kind !== "message" || !r.body.toLocaleLowerCase().includes(needle)) continue;
      const group = conversations.group(r.conversationId);
      hits.push({
        message: toChatMessage(r, (userId) => conversations.personNow(userId), view),
        where: group ? { kind: "group", groupId: group.id, name: group.name } : { kind: "direct", peer: await conversations.peer(r.conversationId) },
      });
    }
  }
  return hits.sort((a, b) => b.message.sentAt - a.message.sentAt).slice(0, MAX_SEARCH_HITS);
}
