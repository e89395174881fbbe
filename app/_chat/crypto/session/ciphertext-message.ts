/**
 * What sealed sender carries: a PQXDH prekey message (until the other side has replied), a plain
 * Double Ratchet message (both from `encryptMessage`), or a group's sender-key message
 * (`groups/sender-key-message.ts`, decrypted with `ReceivedSenderKeys`, never with a session).
 * Wire code: 1 = message, 2 = prekey, 3 = senderkey.
 */
export type CiphertextMessageType = "message" | "prekey" | "senderkey";

export interface CiphertextMessage {
  readonly type: CiphertextMessageType;
  readonly body: Uint8Array;
}

export const CIPHERTEXT_MESSAGE_TYPE_CODES: Record<CiphertextMessageType, number> = { message: 1, prekey: 2, senderkey: 3 };

export function ciphertextMessageTypeFromCode(code: number): CiphertextMessageType | undefined {
  switch (code) {
    case 1:
      return "message";
    case 2:
      return "prekey";
    case 3:
      return "senderkey";
    default:
      return undefined;
  }
}
