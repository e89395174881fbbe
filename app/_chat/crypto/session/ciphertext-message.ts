/**
 * What `encryptMessage` produces: a PQXDH prekey message (until the other side has replied)
 * or a plain Double Ratchet message. Wire code: 1 = message, 2 = prekey.
 */
export type CiphertextMessageType = "message" | "prekey";

export interface CiphertextMessage {
  readonly type: CiphertextMessageType;
  readonly body: Uint8Array;
}

export const CIPHERTEXT_MESSAGE_TYPE_CODES: Record<CiphertextMessageType, number> = { message: 1, prekey: 2 };

export function ciphertextMessageTypeFromCode(code: number): CiphertextMessageType | undefined {
  return code === 1 ? "message" : code === 2 ? "prekey" : undefined;
}
