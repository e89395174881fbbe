/**
 * Linking a new device to an account through a server that only relays opaque bytes. The
 * existing device shows a code; the new device, logged in to the same account, types (or scans)
 * it. The code is the only secret the two share, and the server never sees it:
 *
 *   code      = 80 random bits, 16 Crockford base32 characters ("ABCD-EFGH-JKMN-PQRS")
 *   lookupId  = HKDF-SHA-256(code bits, info "Hearth_DeviceLink_Lookup_v1", 16)  names the slot
 *   macKey    = HKDF-SHA-256(code bits, info "Hearth_DeviceLink_Mac_v1", 32)
 *
 *   request   = 0x01 ‖ Encode(device identity key) (33) ‖ device row id (16) ‖ device id u32
 *               ‖ name length u16 ‖ name (1–64 bytes of UTF-8) ‖ 0x05 ‖ E_pub (32)
 *               ‖ HMAC-SHA-256(macKey, all the bytes before) (32)
 *   okm       = HKDF-SHA-256(IKM = DH(R, E) ‖ macKey, salt = 32 zero bytes,
 *               info = "Hearth_DeviceLink_Response_v1" ‖ SHA-256(request) ‖ 0x05 ‖ R_pub, 56)
 *   response  = 0x01 ‖ 0x05 ‖ R_pub (32) ‖ XChaCha20-Poly1305(okm[0..32], okm[32..56], secrets,
 *               AD = 0x01 ‖ 0x05 ‖ R_pub)
 *
 * E is the new device's ephemeral X25519 key, R a fresh one of the existing device. The MAC stops
 * the server from substituting its own device or ephemeral key; the response key needs both the
 * ephemeral secret (which only the new device has) and the code (which the server lacks), so the
 * server can neither read the response nor forge one, and it is bound to the exact request.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { aeadDecrypt, aeadEncrypt, AEAD_TAG_BYTES } from "../aead";
import { ByteReader, ByteWriter, bytesEqual, wipe } from "../bytes";
import { CryptoError, isCryptoError } from "../errors";
import { hkdfSha256, KDF_LABELS } from "../kdf";
import { IDENTITY_KEY_ENCODED_BYTES, type IdentityKey } from "../keys/identity-key";
import { x25519, X25519_ENCODED_BYTES, X25519KeyPair, X25519PublicKey } from "../keys/x25519";
import type { RandomSource } from "../random";
import { MAX_DEVICE_NAME_BYTES, readDeviceName, readIdentityKey, writeDeviceName } from "./device-list";
import { normalizeLinkCode } from "./link-code";
import { bytesToUuid, UUID_BYTES, uuidToBytes } from "./uuid";

export { normalizeLinkCode };

export const LINK_FORMAT_VERSION = 1;
/** The relay's limits: a slot holds one request of at most 4 KiB and one response of at most 64 KiB. */
export const MAX_LINK_REQUEST_BYTES = 4096;
export const MAX_LINK_RESPONSE_BYTES = 65_536;
const RESPONSE_HEADER_BYTES = 1 + X25519_ENCODED_BYTES;
/** The most `secrets` a response can carry. */
export const MAX_LINK_SECRETS_BYTES = MAX_LINK_RESPONSE_BYTES - RESPONSE_HEADER_BYTES - AEAD_TAG_BYTES;
export const LINK_LOOKUP_ID_BYTES = 16;
const MAC_KEY_BYTES = 32;
const MAC_BYTES = 32;
const CODE_BYTES = 10;
const MIN_REQUEST_BYTES = 1 + IDENTITY_KEY_ENCODED_BYTES + UUID_BYTES + 4 + 2 + 1 + X25519_ENCODED_BYTES + MAC_BYTES;
const MAX_REQUEST_BYTES = MIN_REQUEST_BYTES - 1 + MAX_DEVICE_NAME_BYTES;
const LOOKUP_INFO = utf8ToBytes(KDF_LABELS.deviceLinkLookup);
const MAC_INFO = utf8ToBytes(KDF_LABELS.deviceLinkMac);
const RESPONSE_INFO = utf8ToBytes(KDF_LABELS.deviceLinkResponse);

/** Crockford's base32: digits and capitals without I, L, O and U. */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The new device's ephemeral X25519 key pair (32 bytes each), kept until the response opens. */
export interface LinkEphemeral {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** A request whose MAC verified: the device asking to join, and where to seal the response. */
export interface OpenedLinkRequest {
  readonly deviceIdentityKey: IdentityKey;
  /** Lowercase UUID. */
  readonly deviceRowId: string;
  readonly deviceId: number;
  readonly deviceName: string;
  readonly ephemeralPublicKey: X25519PublicKey;
  /** SHA-256 of the request bytes, which the response is bound to. */
  readonly requestHash: Uint8Array;
}

function encodeBase32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD.charAt((buffer >>> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** The 10 bytes of a canonical 16-character code. */
function decodeBase32(code: string): Uint8Array {
  const out = new Uint8Array(CODE_BYTES);
  let buffer = 0;
  let bits = 0;
  let offset = 0;
  for (const char of code) {
    buffer = (buffer << 5) | CROCKFORD.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[offset++] = (buffer >>> bits) & 0xff;
      buffer &= (1 << bits) - 1;
    }
  }
  return out;
}

/**
 * A new link code: 80 random bits. `code` is the canonical 16 characters (for the QR code);
 * `display` is the same in four groups of four, for the screen.
 */
export function createLinkCode(random: RandomSource): { code: string; display: string } {
  const bits = random(CODE_BYTES);
  const code = encodeBase32(bits);
  wipe(bits);
  return { code, display: code.replace(/(.{4})(?=.)/g, "$1-") };
}

/**
 * The slot's lookup id (what the server sees) and the MAC key (what it must not) for a code.
 * @throws {CryptoError} `InvalidLinkCode` when `code` does not normalize.
 */
export function deriveLinkKeys(code: string): { lookupId: Uint8Array; macKey: Uint8Array } {
  const bits = decodeBase32(normalizeLinkCode(code));
  const keys = {
    lookupId: hkdfSha256(bits, undefined, LOOKUP_INFO, LINK_LOOKUP_ID_BYTES),
    macKey: hkdfSha256(bits, undefined, MAC_INFO, MAC_KEY_BYTES),
  };
  wipe(bits);
  return keys;
}

function macKeyOf(code: string): Uint8Array {
  const { lookupId, macKey } = deriveLinkKeys(code);
  wipe(lookupId);
  return macKey;
}

/**
 * New device: the request to post in the slot, after registering itself with the server (which
 * gave it `deviceRowId` and `deviceId`). Keep `ephemeral` in memory until the response arrives.
 * @throws {CryptoError} `InvalidLinkCode` when `code` does not normalize.
 * @throws {RangeError} for a row id that is not a UUID, a device id that is not a u32, or a name
 *   `isValidDeviceName` refuses.
 */
export function createLinkRequest(options: {
  code: string;
  deviceIdentityKey: IdentityKey;
  deviceRowId: string;
  deviceId: number;
  deviceName: string;
  random: RandomSource;
}): { request: Uint8Array; ephemeral: LinkEphemeral } {
  normalizeLinkCode(options.code);
  const writer = new ByteWriter(MAX_REQUEST_BYTES)
    .u8(LINK_FORMAT_VERSION)
    .bytes(options.deviceIdentityKey.serialize())
    .bytes(uuidToBytes(options.deviceRowId, "device row id"))
    .u32(options.deviceId);
  writeDeviceName(writer, options.deviceName);
  const pair = X25519KeyPair.generate(options.random);
  const body = writer.bytes(pair.publicKey.serialize()).finish();
  const macKey = macKeyOf(options.code);
  const request = concatBytes(body, hmac(sha256, macKey, body));
  wipe(macKey);
  return { request, ephemeral: { secretKey: pair.privateKey, publicKey: pair.publicKey.bytes } };
}

/**
 * Existing device: checks a request read from the slot. Show `deviceName` to the user and link
 * only once they confirm.
 * @throws {CryptoError} `InvalidLinkRequest` when the MAC does not verify (another code, or bytes
 *   changed by anyone) or the request is malformed; `UnsupportedVersion` for a newer format
 *   (authenticated); `InvalidLinkCode` when `code` does not normalize.
 */
export function openLinkRequest(options: { code: string; request: Uint8Array }): OpenedLinkRequest {
  const { request } = options;
  if (request.length < MIN_REQUEST_BYTES || request.length > MAX_LINK_REQUEST_BYTES) {
    throw new CryptoError("InvalidLinkRequest", "wrong request length");
  }
  const body = request.subarray(0, request.length - MAC_BYTES);
  const macKey = macKeyOf(options.code);
  const expected = hmac(sha256, macKey, body);
  wipe(macKey);
  if (!bytesEqual(expected, request.subarray(request.length - MAC_BYTES))) {
    throw new CryptoError("InvalidLinkRequest", "MAC does not verify");
  }

  const reader = new ByteReader(body, "InvalidLinkRequest");
  reader.version(LINK_FORMAT_VERSION);
  const deviceIdentityKey = readIdentityKey(reader, "InvalidLinkRequest");
  const deviceRowId = bytesToUuid(reader.bytes(UUID_BYTES));
  const deviceId = reader.u32();
  const deviceName = readDeviceName(reader, "InvalidLinkRequest");
  let ephemeralPublicKey: X25519PublicKey;
  try {
    ephemeralPublicKey = X25519PublicKey.deserialize(reader.bytes(X25519_ENCODED_BYTES));
  } catch (error) {
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError("InvalidLinkRequest", "invalid ephemeral key");
    throw error;
  }
  reader.end();
  return { deviceIdentityKey, deviceRowId, deviceId, deviceName, ephemeralPublicKey, requestHash: sha256(request) };
}

function responseKeys(dh: Uint8Array, macKey: Uint8Array, requestHash: Uint8Array, header: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const ikm = concatBytes(dh, macKey);
  const okm = hkdfSha256(ikm, undefined, concatBytes(RESPONSE_INFO, requestHash, header.subarray(1)), 56);
  wipe(ikm);
  return { key: okm.subarray(0, 32), nonce: okm.subarray(32, 56) };
}

/**
 * Existing device: encrypts `secrets` (opaque here) to the request's ephemeral key, bound to the
 * code and to the request. The caller wipes `secrets` when it no longer needs them.
 * @throws {CryptoError} `InvalidLinkRequest` for a low-order ephemeral key; `InvalidLinkCode`
 *   when `code` does not normalize.
 * @throws {RangeError} for more than `MAX_LINK_SECRETS_BYTES` of secrets.
 */
export function sealLinkResponse(options: { code: string; request: OpenedLinkRequest; secrets: Uint8Array; random: RandomSource }): Uint8Array {
  const { request, secrets } = options;
  if (secrets.length > MAX_LINK_SECRETS_BYTES) throw new RangeError(`link secrets exceed ${MAX_LINK_SECRETS_BYTES} bytes`);
  const macKey = macKeyOf(options.code);
  const ephemeral = X25519KeyPair.generate(options.random);
  const header = concatBytes(Uint8Array.of(LINK_FORMAT_VERSION), ephemeral.publicKey.serialize());
  let dh: Uint8Array;
  try {
    dh = ephemeral.agree(request.ephemeralPublicKey);
  } catch (error) {
    wipe(macKey, ephemeral.privateKey);
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError("InvalidLinkRequest", "low-order ephemeral key");
    throw error;
  }
  const { key, nonce } = responseKeys(dh, macKey, request.requestHash, header);
  const ciphertext = aeadEncrypt(key, nonce, secrets, header);
  wipe(dh, key, macKey, ephemeral.privateKey);
  return concatBytes(header, ciphertext);
}

/**
 * New device: opens the response to its own `request` with the code and its ephemeral key, and
 * wipes `ephemeral.secretKey` once it has. The secrets still need the engine's own checks (the
 * device list must be signed by the account key inside, for this user, and list this device).
 * @throws {CryptoError} `InvalidLinkResponse` when it is malformed or does not open (another code,
 *   another request, another ephemeral key, or bytes changed by anyone); `UnsupportedVersion` for
 *   a newer format; `InvalidLinkCode` when `code` does not normalize.
 */
export function openLinkResponse(options: { code: string; request: Uint8Array; ephemeral: LinkEphemeral; response: Uint8Array }): Uint8Array {
  const { response, ephemeral } = options;
  if (response.length < RESPONSE_HEADER_BYTES + AEAD_TAG_BYTES || response.length > MAX_LINK_RESPONSE_BYTES) {
    throw new CryptoError("InvalidLinkResponse", "wrong response length");
  }
  if (response[0]! > LINK_FORMAT_VERSION) throw new CryptoError("UnsupportedVersion", "newer link response version");
  if (response[0] !== LINK_FORMAT_VERSION) throw new CryptoError("InvalidLinkResponse", "unknown link response version");
  const header = response.subarray(0, RESPONSE_HEADER_BYTES);
  let dh: Uint8Array;
  try {
    dh = x25519(ephemeral.secretKey, X25519PublicKey.deserialize(header.subarray(1)).bytes);
  } catch (error) {
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError("InvalidLinkResponse", "invalid response key");
    throw error;
  }
  const macKey = macKeyOf(options.code);
  const { key, nonce } = responseKeys(dh, macKey, sha256(options.request), header);
  try {
    const secrets = aeadDecrypt(key, nonce, response.subarray(RESPONSE_HEADER_BYTES), header, "InvalidLinkResponse");
    wipe(ephemeral.secretKey);
    return secrets;
  } finally {
    wipe(dh, key, macKey);
  }
}
