// The plaintext inside a backup (and the secrets handed to a linked device): JSON in which bytes
// are written as {"$b": base64url}. Sealed by the crypto core before it leaves the device.
import type { ChatStorage } from "../storage";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { LocalFileWriter, LOCAL_PIECE_BYTES } from "./attachments/local-files";
import type { BackupSettings, ContactRecord, ConversationRecord, MessageRecord, StoredAttachment } from "./records";

export interface BackupPayload {
  v: 1;
  userId: string;
  accountKeyPair: Uint8Array;
  contacts: ContactRecord[];
  conversations: ConversationRecord[];
  /** As a device restored from this backup holds them: see `asRestored`. */
  messages: MessageRecord[];
  /** So that a restored device keeps backing up with the same secrets. */
  backup: Pick<BackupSettings, "recoveryKey" | "passphrase"> | null;
  /** Local copies of files (the newest, up to the person's limit), by the attachment's local id. Absent in older backups. */
  files?: { attachmentId: string; bytes: Uint8Array }[];
}

/**
 * A message as a device restored from the backup will hold it. That device is new, so no blob on
 * the server is for it: a file is there only when the backup carries its bytes ("downloaded"),
 * else it says gone; one not uploaded yet shows its upload failed.
 */
export function asRestored(message: MessageRecord, carried: ReadonlySet<string>): MessageRecord {
  if (!message.attachments?.length) return message;
  const attachments = message.attachments.map((a): StoredAttachment => {
    if (a.status === "downloaded" && carried.has(a.localId)) return a;
    if (!a.blob) return { ...a, status: "upload-failed" };
    return { ...a, status: "download-failed", error: "chat_attachment_gone" };
  });
  const state = message.outgoing && attachments.some((a) => a.status === "upload-failed") ? "failed" : message.state;
  return { ...message, attachments, state };
}

/** Writes the files a backup carries as local copies (restoring: after its messages). */
export async function restoreBackupFiles(storage: ChatStorage, payload: BackupPayload): Promise<void> {
  for (const file of payload.files ?? []) {
    await storage.deleteAttachmentChunks(file.attachmentId);
    const writer = new LocalFileWriter(storage, file.attachmentId);
    for (let at = 0; at < file.bytes.length; at += LOCAL_PIECE_BYTES) await writer.push(file.bytes.subarray(at, at + LOCAL_PIECE_BYTES));
    await writer.finish();
  }
}

export interface LinkSecrets {
  v: 1;
  accountKeyPair: Uint8Array;
  contacts: ContactRecord[];
  backup: BackupSettings | null;
}

export function encodeJsonWithBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $b: toBase64Url(v) } : v)));
}

export function decodeJsonWithBytes<T>(bytes: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(bytes), (_key, v: unknown) =>
    v && typeof v === "object" && "$b" in v && typeof (v as { $b: unknown }).$b === "string" ? fromBase64Url((v as { $b: string }).$b) : v,
  ) as T;
}
