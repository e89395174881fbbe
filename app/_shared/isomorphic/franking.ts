// Message franking's byte layouts (docs/e2ee-protocol.md, "Message franking"), written once for the
// browser, which commits to a message and opens its sealed tag, and the server, which binds the
// commitment at delivery and checks it when the message is reported. Each input starts with its
// own label, so no value made for one purpose is accepted for another.

export const FRANKING_KEY_BYTES = 32;
export const FRANKING_COMMITMENT_BYTES = 32;
export const FRANKING_TAG_BYTES = 32;
/** The tag sealed with ChaCha20-Poly1305-IETF: tag ‖ 16-byte Poly1305 tag. */
export const SEALED_FRANKING_TAG_BYTES = FRANKING_TAG_BYTES + 16;
/** ChaCha20-Poly1305-IETF's nonce: all zero, as each sealing key is used once (one commitment, one device). */
export const FRANKING_SEAL_NONCE = new Uint8Array(12);

const encoder = new TextEncoder();

/** What a message's commitment C = HMAC-SHA-256(Kf, ·) is made over: exactly what a report reveals. */
export function frankedMessageBytes(message: { id: string; sentAt: number; body: string }): Uint8Array {
  return encoder.encode(JSON.stringify(["hearth-franking-message-v1", message.id.toLowerCase(), message.sentAt, message.body]));
}

/** The server's tag = HMAC-SHA-256(K_server, ·): the commitment bound to sender, recipient and time. */
export function frankingTagInput(fields: { commitment: Uint8Array; senderId: string; recipientId: string; deliveredAt: number }): Uint8Array {
  const time = new Uint8Array(8);
  new DataView(time.buffer).setBigUint64(0, BigInt(fields.deliveredAt));
  return concat([encoder.encode("hearth-franking-tag-v1\u0000"), fields.commitment, uuidBytes(fields.senderId), uuidBytes(fields.recipientId), time]);
}

/** The sealing key of an envelope's tag is SHA-256(·): only a holder of the commitment can derive it. */
export function frankingSealKeyInput(fields: { commitment: Uint8Array; deviceRowId: string }): Uint8Array {
  return concat([encoder.encode("hearth-franking-seal-v1\u0000"), fields.commitment, uuidBytes(fields.deviceRowId)]);
}

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replaceAll("-", "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError("not a UUID");
  return Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
