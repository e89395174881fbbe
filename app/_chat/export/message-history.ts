// The message-history part of the data export. The server cannot add it (it never sees a message),
// so this browser reads its own chat storage, writes `messages/history.json` into the ZIP the
// server built, and saves the result. Loaded on demand from the privacy page.
import { strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "@/server/root";
import { chatStorageExists, openChatStorage } from "../storage";
import { fromBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { ConversationRecord, MessageRecord } from "../engine/records";

export interface MessageHistoryExport {
  format: "hearth-message-history";
  version: 1;
  exportedAt: string;
  /** Conversations on this browser, with every message it holds. */
  conversations: {
    /** A 1:1 conversation: the other person. */
    with?: { userId: string; handle: string; displayName: string };
    /** A group: its id, name and members (user ids) as this browser last knew them. */
    group?: { id: string; name: string; members: string[] };
    /** `from`: the sender's user id of a received group message. */
    messages: { id: string; direction: "sent" | "received"; sentAt: string; text: string; state: string | null; from?: string }[];
  }[];
}

/** This browser's message history, or null when it has none (messaging never set up here). */
export async function readMessageHistory(client: TRPCClient<AppRouter>, userId: string): Promise<MessageHistoryExport | null> {
  if (!(await chatStorageExists(userId))) return null;
  const { secret } = await client.chat.storage.secret.mutate();
  const storage = await openChatStorage({ userId, storageSecret: fromBase64Url(secret) });
  try {
    const conversations = new Map<string, MessageHistoryExport["conversations"][number]>();
    for (const c of await storage.listConversations<ConversationRecord>()) {
      conversations.set(
        c.id,
        c.kind === "group"
          ? { group: { id: c.id, name: c.group.name, members: c.group.members.map((m) => m.userId) }, messages: [] }
          : { with: { userId: c.id, handle: c.peer.handle, displayName: c.peer.displayName }, messages: [] },
      );
    }
    for await (const batch of storage.iterateMessages<MessageRecord>(500)) {
      for (const m of batch) {
        const conversation = conversations.get(m.conversationId);
        if (m.kind !== "message" || !conversation) continue;
        conversation.messages.push({
          id: m.id,
          direction: m.outgoing ? "sent" : "received",
          sentAt: new Date(m.sentAt).toISOString(),
          text: m.body,
          state: m.state,
          ...(m.senderUserId ? { from: m.senderUserId } : {}),
        });
      }
    }
    return { format: "hearth-message-history", version: 1, exportedAt: new Date().toISOString(), conversations: [...conversations.values()] };
  } finally {
    storage.close();
  }
}

/**
 * Downloads the server's export ZIP, adds this browser's message history, and saves it under
 * `fileName`. Returns how many messages were added (0 when this browser holds none).
 */
export async function saveExportWithMessageHistory(options: {
  client: TRPCClient<AppRouter>;
  userId: string;
  exportUrl: string;
  fileName: string;
}): Promise<number> {
  const response = await fetch(options.exportUrl, { cache: "no-store" });
  if (!response.ok) throw new Error(`export download failed: ${response.status}`);
  const history = await readMessageHistory(options.client, options.userId);
  const files: Zippable = unzipSync(new Uint8Array(await response.arrayBuffer()));
  let count = 0;
  if (history) {
    count = history.conversations.reduce((sum, c) => sum + c.messages.length, 0);
    files["messages/history.json"] = strToU8(JSON.stringify(history, null, 2));
  }
  // Images are stored, not deflated again: they are already compressed.
  for (const name of Object.keys(files)) if (/\.(webp|jpe?g|png|gif)$/i.test(name)) files[name] = [files[name] as Uint8Array, { level: 0 }];
  const zipped = zipSync(files, { level: 6 });
  saveFile(new Blob([zipped as Uint8Array<ArrayBuffer>], { type: "application/zip" }), options.fileName);
  return count;
}

/**
 * Saves this browser's message history alone as JSON (for a browser cut off from the account,
 * which may hold the only copy). Returns how many messages it holds.
 */
export async function saveMessageHistory(options: { client: TRPCClient<AppRouter>; userId: string; fileName: string }): Promise<number> {
  const history = await readMessageHistory(options.client, options.userId);
  const count = history ? history.conversations.reduce((sum, c) => sum + c.messages.length, 0) : 0;
  if (history) saveFile(new Blob([JSON.stringify(history, null, 2)], { type: "application/json" }), options.fileName);
  return count;
}

function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
