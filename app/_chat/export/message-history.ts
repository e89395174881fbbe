// The message-history part of the data export. The server cannot add it (it never sees a message),
// so this browser reads its own chat storage, writes `messages/history.json` into the ZIP the
// server built, with the files this browser keeps under `messages/files/`, and saves the result.
// Loaded on demand from the privacy page.
import { strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "@/server/root";
import { chatStorageExists, openChatStorage, type ChatStorage } from "../storage";
import { fromBase64Url } from "@/app/_shared/isomorphic/base64url";
import { cleanFileName } from "../engine/attachments/prepare-file";
import type { ConversationRecord, MessageRecord, StoredAttachment } from "../engine/records";

/** Files added to the ZIP at most (it is built in memory); the rest are listed without their bytes. */
export const MAX_EXPORTED_FILE_BYTES = 512 * 1024 * 1024;

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
    /** `from`: the sender's user id of a received group message; `files`: what it carried. */
    messages: {
      id: string;
      direction: "sent" | "received";
      sentAt: string;
      text: string;
      state: string | null;
      from?: string;
      files?: ExportedFile[];
    }[];
  }[];
}

export interface ExportedFile {
  name: string;
  type: string;
  size: number;
  /** Where the ZIP holds it (under messages/), or null when this browser has no copy (or the export left it out). */
  path: string | null;
}

/**
 * This browser's message history, or null when it has none (messaging never set up here).
 * `onFile`, when given, receives the local copy of each file, under the path the history names.
 */
export async function readMessageHistory(
  client: TRPCClient<AppRouter>,
  userId: string,
  onFile?: (path: string, bytes: Uint8Array) => void,
): Promise<MessageHistoryExport | null> {
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
    let fileBytes = 0;
    const exportFile = async (a: StoredAttachment): Promise<ExportedFile> => {
      const listed = { name: a.name, type: a.type, size: a.size, path: null };
      if (!onFile || a.status !== "downloaded" || fileBytes + a.size > MAX_EXPORTED_FILE_BYTES) return listed;
      const bytes = await localCopy(storage, a);
      if (!bytes) return listed;
      fileBytes += a.size;
      // The local id keeps two files of one name apart; the name is cleaned again (it came from a sender).
      const path = `files/${a.localId}-${cleanFileName(a.name)}`;
      onFile(path, bytes);
      return { ...listed, path };
    };
    for await (const batch of storage.iterateMessages<MessageRecord>(500)) {
      for (const m of batch) {
        const conversation = conversations.get(m.conversationId);
        if (m.kind !== "message" || !conversation) continue;
        const files: ExportedFile[] = [];
        for (const a of m.attachments ?? []) files.push(await exportFile(a));
        conversation.messages.push({
          id: m.id,
          direction: m.outgoing ? "sent" : "received",
          sentAt: new Date(m.sentAt).toISOString(),
          text: m.body,
          state: m.state,
          ...(m.senderUserId ? { from: m.senderUserId } : {}),
          ...(files.length ? { files } : {}),
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
  const files: Zippable = unzipSync(new Uint8Array(await response.arrayBuffer()));
  // Already compressed (photos, videos) or not, files are stored as they are: deflating hundreds of megabytes would stall the page.
  const history = await readMessageHistory(options.client, options.userId, (path, bytes) => (files[`messages/${path}`] = [bytes, { level: 0 }]));
  let count = 0;
  if (history) {
    count = history.conversations.reduce((sum, c) => sum + c.messages.length, 0);
    files["messages/history.json"] = strToU8(JSON.stringify(history, null, 2));
  }
  // Images are stored, not deflated again: they are already compressed.
  for (const [name, entry] of Object.entries(files))
    if (entry instanceof Uint8Array && /\.(webp|jpe?g|png|gif)$/i.test(name)) files[name] = [entry, { level: 0 }];
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

/** A file's local copy whole, or null when it is not all there. */
async function localCopy(storage: ChatStorage, attachment: StoredAttachment): Promise<Uint8Array | null> {
  const bytes = new Uint8Array(attachment.size);
  let at = 0;
  for await (const piece of storage.readAttachmentChunks(attachment.localId)) {
    if (at + piece.length > bytes.length) return null;
    bytes.set(piece, at);
    at += piece.length;
  }
  return at === attachment.size ? bytes : null;
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
