/**
 * Signed device lists. Each person has one account identity key (shared by their devices, carried
 * by linking and by the backup); each device has its own identity key for PQXDH and sessions. The
 * list, signed by the account key, says which device keys speak for the account:
 *
 *   body      = "HDVL" ‖ 0x01 ‖ Encode(account key) (33) ‖ user id (16) ‖ list version u32
 *               ‖ issuedAt u64 (ms) ‖ count u8 (1–10)
 *               ‖ count × (row id (16) ‖ device id u32 ‖ Encode(device identity key) (33)
 *                          ‖ addedAt u64 (ms) ‖ name length u16 ‖ name (1–64 bytes of UTF-8))
 *   list      = body ‖ Ed25519(account key, "Hearth_DeviceList_v1" ‖ 0x00 ‖ body) (64)
 *
 * Entries are sorted by device id, strictly ascending, so one set of devices has one encoding.
 * Device ids, row ids and identity keys are unique within a list, and no device key equals the
 * account key. A verifier checks everything the signer checks.
 */
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { ByteReader, ByteWriter, bytesEqual } from "../bytes";
import { CryptoError, isCryptoError, type CryptoErrorCode } from "../errors";
import { IDENTITY_KEY_ENCODED_BYTES, IdentityKey, type IdentityKeyPair } from "../keys/identity-key";
import { bytesToUuid, UUID_BYTES, uuidToBytes } from "./uuid";

export const DEVICE_LIST_MAGIC = "HDVL";
export const DEVICE_LIST_FORMAT_VERSION = 1;
export const DEVICE_LIST_SIGNATURE_LABEL = "Hearth_DeviceList_v1";
export const MAX_DEVICES_PER_LIST = 10;
export const MAX_DEVICE_NAME_BYTES = 64;
export const MAX_DEVICE_LIST_BYTES = 16 * 1024;
const MAX_U32 = 0xffff_ffff;
const SIGNATURE_BYTES = 64;
const MAGIC = utf8ToBytes(DEVICE_LIST_MAGIC);
const HEADER_BYTES = MAGIC.length + 1 + IDENTITY_KEY_ENCODED_BYTES + UUID_BYTES + 4 + 8 + 1;
const MIN_ENTRY_BYTES = UUID_BYTES + 4 + IDENTITY_KEY_ENCODED_BYTES + 8 + 2 + 1;

export interface DeviceListEntry {
  /** The server's row id of the device (a UUID, lowercase when read from a list). */
  readonly rowId: string;
  /** The account's device number (the `deviceId` of protocol addresses). */
  readonly deviceId: number;
  readonly identityKey: IdentityKey;
  /** A label such as "Chrome on Linux": 1–64 bytes of UTF-8, see `isValidDeviceName`. */
  readonly name: string;
  /** When the device joined the list (ms since the epoch). */
  readonly addedAt: number;
}

export interface VerifiedDeviceList {
  readonly accountKey: IdentityKey;
  readonly version: number;
  /** When the list was signed, by the signing device's clock (ms since the epoch). */
  readonly issuedAt: number;
  /** Sorted by device id. */
  readonly devices: readonly DeviceListEntry[];
}

/** C0/C1 controls, lone surrogates, the byte-order mark and the bidi embedding/override/isolate controls. */
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cs}\uFEFF\u202A-\u202E\u2066-\u2069]/u;
/** Keeps a leading U+FEFF, so a name reads back exactly as it was signed. */
const strictUtf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function deviceNameProblem(name: string): string | undefined {
  const length = utf8ToBytes(name).length;
  if (length === 0) return "device name is empty";
  if (length > MAX_DEVICE_NAME_BYTES) return `device name is longer than ${MAX_DEVICE_NAME_BYTES} UTF-8 bytes`;
  if (FORBIDDEN_IN_NAME.test(name)) return "device name contains a control character";
  return undefined;
}

/**
 * True for a name a device list or link request can carry: 1–64 bytes of UTF-8, no control
 * characters, no bidi controls, no byte-order mark, no lone surrogates.
 */
export function isValidDeviceName(name: string): boolean {
  return deviceNameProblem(name) === undefined;
}

/** Writes a checked name as u16 length ‖ UTF-8. */
export function writeDeviceName(writer: ByteWriter, name: string): void {
  const problem = deviceNameProblem(name);
  if (problem) throw new RangeError(problem);
  const bytes = utf8ToBytes(name);
  writer.u16(bytes.length).bytes(bytes);
}

/** Reads a name written by `writeDeviceName`; anything else throws `CryptoError(code)`. */
export function readDeviceName(reader: ByteReader, code: CryptoErrorCode): string {
  const length = reader.u16();
  if (length > MAX_DEVICE_NAME_BYTES) throw new CryptoError(code, "device name too long");
  let name: string;
  try {
    name = strictUtf8Decoder.decode(reader.bytes(length));
  } catch {
    throw new CryptoError(code, "device name is not UTF-8");
  }
  const problem = deviceNameProblem(name);
  if (problem) throw new CryptoError(code, problem);
  return name;
}

/** Reads an encoded identity key, reporting a bad one as `code`. */
export function readIdentityKey(reader: ByteReader, code: CryptoErrorCode): IdentityKey {
  try {
    return IdentityKey.deserialize(reader.bytes(IDENTITY_KEY_ENCODED_BYTES));
  } catch (error) {
    if (isCryptoError(error, "InvalidKey")) throw new CryptoError(code, "invalid identity key");
    throw error;
  }
}

/** What is wrong with a list sorted by device id, if anything (the rules both sides enforce). */
function devicesProblem(devices: readonly DeviceListEntry[], accountKey: IdentityKey): string | undefined {
  if (devices.length < 1 || devices.length > MAX_DEVICES_PER_LIST) return `a device list has 1 to ${MAX_DEVICES_PER_LIST} devices`;
  const rowIds = new Set<string>();
  for (const [index, device] of devices.entries()) {
    if (!Number.isInteger(device.deviceId) || device.deviceId < 0 || device.deviceId > MAX_U32) return "device id must be a u32";
    const previous = devices[index - 1];
    if (previous && previous.deviceId >= device.deviceId) return "duplicate device id";
    const rowId = device.rowId.toLowerCase();
    if (rowIds.has(rowId)) return "duplicate row id";
    rowIds.add(rowId);
    if (device.identityKey.equals(accountKey)) return "a device identity key equals the account key";
    if (devices.slice(0, index).some((other) => other.identityKey.equals(device.identityKey))) return "duplicate device identity key";
    if (!Number.isSafeInteger(device.addedAt) || device.addedAt < 0) return "addedAt must be a non-negative safe integer";
    const nameProblem = deviceNameProblem(device.name);
    if (nameProblem) return nameProblem;
  }
  return undefined;
}

/**
 * Signs the account's device list. `devices` may come in any order; they are written sorted by
 * device id.
 * @throws {RangeError} for a user id or row id that is not a UUID, a version outside 1 … 2^32 − 1,
 *   0 or more than 10 devices, a duplicate device id, row id or identity key, a device key equal to
 *   the account key, or a name `isValidDeviceName` refuses.
 */
export function signDeviceList(options: {
  accountKeyPair: IdentityKeyPair;
  userId: string;
  version: number;
  devices: readonly DeviceListEntry[];
  now: number;
}): Uint8Array {
  const { accountKeyPair, version, now } = options;
  const accountKey = accountKeyPair.identityKey;
  const userId = uuidToBytes(options.userId, "user id");
  if (!Number.isInteger(version) || version < 1 || version > MAX_U32) throw new RangeError("list version must be in 1 … 2^32 − 1");
  const devices = [...options.devices].sort((a, b) => a.deviceId - b.deviceId);
  const problem = devicesProblem(devices, accountKey);
  if (problem) throw new RangeError(problem);

  const writer = new ByteWriter(HEADER_BYTES + devices.length * (MIN_ENTRY_BYTES + MAX_DEVICE_NAME_BYTES) + SIGNATURE_BYTES)
    .bytes(MAGIC)
    .u8(DEVICE_LIST_FORMAT_VERSION)
    .bytes(accountKey.serialize())
    .bytes(userId)
    .u32(version)
    .u64(now)
    .u8(devices.length);
  for (const device of devices) {
    writer.bytes(uuidToBytes(device.rowId, "row id")).u32(device.deviceId).bytes(device.identityKey.serialize()).u64(device.addedAt);
    writeDeviceName(writer, device.name);
  }
  const body = writer.finish();
  const signed = new ByteWriter(body.length + SIGNATURE_BYTES).bytes(body).bytes(accountKeyPair.sign(DEVICE_LIST_SIGNATURE_LABEL, body)).finish();
  if (signed.length > MAX_DEVICE_LIST_BYTES) throw new RangeError("device list too large");
  return signed;
}

/**
 * Verifies a device list fetched for `userId`. The signature is checked with the account key the
 * list names; `trustedAccountKey`, when given, must be that key. Only a well-formed list that
 * verifies is compared with it, so garbage from the server never raises a key-change warning.
 * Callers must also refuse a version lower than one they have seen (`isNewerDeviceList`).
 * @throws {CryptoError} `InvalidDeviceList` for a malformed list, a bad signature or another user's
 *   list; `UntrustedIdentity` when it is validly signed by an account key other than
 *   `trustedAccountKey`; `UnsupportedVersion` for a newer format.
 * @throws {RangeError} when `userId` is not a UUID.
 */
export function verifyDeviceList(bytes: Uint8Array, options: { userId: string; trustedAccountKey?: IdentityKey }): VerifiedDeviceList {
  const expectedUserId = uuidToBytes(options.userId, "user id");
  if (bytes.length > MAX_DEVICE_LIST_BYTES) throw new CryptoError("InvalidDeviceList", "device list too large");
  if (bytes.length < HEADER_BYTES + MIN_ENTRY_BYTES + SIGNATURE_BYTES) throw new CryptoError("InvalidDeviceList", "device list too short");
  const body = bytes.subarray(0, bytes.length - SIGNATURE_BYTES);
  const signature = bytes.subarray(bytes.length - SIGNATURE_BYTES);

  const reader = new ByteReader(body, "InvalidDeviceList");
  if (!bytesEqual(reader.bytes(MAGIC.length), MAGIC)) throw new CryptoError("InvalidDeviceList", "not a device list");
  reader.version(DEVICE_LIST_FORMAT_VERSION);
  const accountKey = readIdentityKey(reader, "InvalidDeviceList");
  if (!accountKey.verify(signature, DEVICE_LIST_SIGNATURE_LABEL, body)) {
    throw new CryptoError("InvalidDeviceList", "signature does not verify");
  }
  if (!bytesEqual(reader.bytes(UUID_BYTES), expectedUserId)) throw new CryptoError("InvalidDeviceList", "device list of another user");
  const version = reader.u32();
  if (version < 1) throw new CryptoError("InvalidDeviceList", "list version 0");
  const issuedAt = reader.u64();
  const count = reader.u8();
  const devices: DeviceListEntry[] = [];
  for (let i = 0; i < count; i++) {
    const rowId = bytesToUuid(reader.bytes(UUID_BYTES));
    const deviceId = reader.u32();
    const identityKey = readIdentityKey(reader, "InvalidDeviceList");
    const addedAt = reader.u64();
    const name = readDeviceName(reader, "InvalidDeviceList");
    devices.push({ rowId, deviceId, identityKey, name, addedAt });
  }
  reader.end();
  const problem = devicesProblem(devices, accountKey);
  if (problem) throw new CryptoError("InvalidDeviceList", problem);

  if (options.trustedAccountKey && !options.trustedAccountKey.equals(accountKey)) {
    throw new CryptoError("UntrustedIdentity", "the device list is signed by another account key");
  }
  return { accountKey, version, issuedAt, devices };
}

/**
 * True when `candidate` may replace `seen` (the newest list this device accepted for that user):
 * its version is strictly higher, or nothing was seen. A lower version is a rollback and must be
 * refused; the same version is the list already held (an honest server never serves two different
 * lists under one version), so the held one is kept.
 */
export function isNewerDeviceList(candidate: Pick<VerifiedDeviceList, "version">, seen: Pick<VerifiedDeviceList, "version"> | undefined): boolean {
  return seen === undefined || candidate.version > seen.version;
}
