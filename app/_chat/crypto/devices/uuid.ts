/** UUIDs (the server's user and device row ids) as the 16 bytes the device formats carry. */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

export const UUID_BYTES = 16;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (either case) → 16 bytes.
 * @throws {RangeError} for anything else.
 */
export function uuidToBytes(uuid: string, what: string): Uint8Array {
  if (!UUID_PATTERN.test(uuid)) throw new RangeError(`${what} must be a UUID`);
  return hexToBytes(uuid.replaceAll("-", ""));
}

/** 16 bytes → the lowercase hyphenated form (the form Postgres returns). */
export function bytesToUuid(bytes: Uint8Array): string {
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
