// Bytes ⇄ unpadded base64url (RFC 4648 §5): how the chat API carries bytes, written and read the
// same way by the server and the browser. One encoding per byte string: the server refuses others.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

export function toBase64Url(bytes: Uint8Array): string {
  return encodeBase64urlNoPadding(bytes);
}

/**
 * The bytes of a canonical unpadded base64url string.
 * @throws {Error} for padding, characters outside the alphabet (`+`, `/`, spaces included), a
 *   length of 4n + 1, or unused trailing bits that are not zero.
 */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (text.includes("=")) throw new Error("padding is not used");
  // A fresh Uint8Array (oslo slices its own buffer), typed as such for WebCrypto's BufferSource.
  return decodeBase64urlIgnorePadding(text) as Uint8Array<ArrayBuffer>;
}
