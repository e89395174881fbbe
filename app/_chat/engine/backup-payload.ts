// The plaintext inside a backup (and the secrets handed to a linked device): JSON in which bytes
// are written as {"$b": base64url}. Sealed by the crypto core before it leaves the device.
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import type { BackupSettings, ContactRecord, ConversationRecord, MessageRecord } from "./records";

export interface BackupPayload {
  v: 1;
  userId: string;
  accountKeyPair: Uint8Array;
  contacts: ContactRecord[];
  conversations: ConversationRecord[];
  messages: MessageRecord[];
  /** So that a restored device keeps backing up with the same secrets. */
  backup: Pick<BackupSettings, "recoveryKey" | "passphrase"> | null;
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
