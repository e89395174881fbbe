import { beforeAll, describe, expect, it } from "vitest";
import { concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { ByteReader } from "../bytes";
import { IdentityKeyPair, labeledMessage } from "../keys/identity-key";
import { loadCryptoCore, sodium } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import {
  DEVICE_LIST_SIGNATURE_LABEL,
  isNewerDeviceList,
  isValidDeviceName,
  MAX_DEVICE_LIST_BYTES,
  signDeviceList,
  verifyDeviceList,
  type DeviceListEntry,
} from "./device-list";

beforeAll(loadCryptoCore);

const random = createDeterministicRandom("device-list");
const USER_ID = "0190f5a2-7c1e-7b3a-9e4d-2f6a8b1c3d5e";
const OTHER_USER_ID = "0190f5a2-7c1e-7b3a-9e4d-2f6a8b1c3d5f";
const NOW = Date.UTC(2026, 0, 1);

function rowId(n: number): string {
  return `0190f5a2-0000-7000-8000-${n.toString(16).padStart(12, "0")}`;
}

function device(n: number, name = `Device ${n}`): DeviceListEntry {
  return { rowId: rowId(n), deviceId: n, identityKey: IdentityKeyPair.generate(random).identityKey, name, addedAt: NOW - n * 1000 };
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).name;
  }
  return undefined;
}

describe("signed device lists", () => {
  let account: IdentityKeyPair;
  let devices: DeviceListEntry[];
  beforeAll(() => {
    account = IdentityKeyPair.generate(random);
    devices = [device(3, "Firefox on Windows"), device(1, "Chrome on Linux"), device(2, "Safari on iPhone 📱")];
  });

  const sign = (overrides: Partial<Parameters<typeof signDeviceList>[0]> = {}) =>
    signDeviceList({ accountKeyPair: account, userId: USER_ID, version: 7, devices, now: NOW, ...overrides });

  it("round-trips, sorted by device id", () => {
    const list = verifyDeviceList(sign(), { userId: USER_ID, trustedAccountKey: account.identityKey });
    expect(list.accountKey.equals(account.identityKey)).toBe(true);
    expect(list.version).toBe(7);
    expect(list.issuedAt).toBe(NOW);
    expect(list.devices.map((d) => d.deviceId)).toEqual([1, 2, 3]);
    const byId = new Map(devices.map((d) => [d.deviceId, d]));
    for (const entry of list.devices) {
      const original = byId.get(entry.deviceId)!;
      expect(entry.rowId).toBe(original.rowId);
      expect(entry.identityKey.equals(original.identityKey)).toBe(true);
      expect(entry.name).toBe(original.name);
      expect(entry.addedAt).toBe(original.addedAt);
    }
    // The same devices in another order give the same bytes.
    expect(sign({ devices: [...devices].reverse() })).toEqual(sign());
    // Without a trusted key (first use), the list is accepted on its own signature.
    expect(verifyDeviceList(sign(), { userId: USER_ID.toUpperCase() }).version).toBe(7);
  });

  it("has the documented layout and signature", () => {
    const bytes = sign({ devices: [device(5, "ab")] });
    const reader = new ByteReader(bytes, "InvalidDeviceList");
    expect(reader.bytes(4)).toEqual(utf8ToBytes("HDVL"));
    expect(reader.u8()).toBe(1);
    expect(reader.bytes(33)).toEqual(account.identityKey.serialize());
    expect(reader.bytes(16)).toEqual(hexToBytes(USER_ID.replaceAll("-", "")));
    expect(reader.u32()).toBe(7);
    expect(reader.u64()).toBe(NOW);
    expect(reader.u8()).toBe(1);
    expect(reader.bytes(16)).toEqual(hexToBytes(rowId(5).replaceAll("-", "")));
    expect(reader.u32()).toBe(5);
    reader.bytes(33);
    expect(reader.u64()).toBe(NOW - 5000);
    expect(reader.u16()).toBe(2);
    expect(reader.bytes(2)).toEqual(utf8ToBytes("ab"));
    const body = bytes.subarray(0, bytes.length - 64);
    expect(reader.remaining).toBe(64);
    expect(bytes.length).toBe(67 + 63 + 2 + 64);
    // Ed25519 over "Hearth_DeviceList_v1" ‖ 0x00 ‖ body, checked with libsodium directly.
    expect(DEVICE_LIST_SIGNATURE_LABEL).toBe("Hearth_DeviceList_v1");
    const message = concatBytes(utf8ToBytes("Hearth_DeviceList_v1"), Uint8Array.of(0), body);
    expect(labeledMessage(DEVICE_LIST_SIGNATURE_LABEL, body)).toEqual(message);
    expect(sodium().crypto_sign_verify_detached(reader.rest(), message, account.identityKey.publicKey)).toBe(true);
  });

  it("stays within 16 KiB at its largest", () => {
    const largest = Array.from({ length: 10 }, (_, i) => device(i + 1, "é".repeat(32)));
    const bytes = sign({ devices: largest });
    expect(bytes.length).toBe(67 + 10 * (63 + 64) + 64);
    expect(bytes.length).toBeLessThanOrEqual(MAX_DEVICE_LIST_BYTES);
    expect(verifyDeviceList(bytes, { userId: USER_ID }).devices).toHaveLength(10);
  });

  it("refuses any altered, missing or extra byte", () => {
    const bytes = sign();
    for (let index = 0; index < bytes.length; index++) {
      const altered = bytes.slice();
      altered[index]! ^= 1;
      expect(
        codeOf(() => verifyDeviceList(altered, { userId: USER_ID })),
        `byte ${index}`,
      ).toBe("InvalidDeviceList");
    }
    expect(codeOf(() => verifyDeviceList(bytes.subarray(0, bytes.length - 1), { userId: USER_ID }))).toBe("InvalidDeviceList");
    expect(codeOf(() => verifyDeviceList(concatBytes(bytes, Uint8Array.of(0)), { userId: USER_ID }))).toBe("InvalidDeviceList");
    expect(codeOf(() => verifyDeviceList(new Uint8Array(0), { userId: USER_ID }))).toBe("InvalidDeviceList");
    expect(codeOf(() => verifyDeviceList(new Uint8Array(MAX_DEVICE_LIST_BYTES + 1), { userId: USER_ID }))).toBe("InvalidDeviceList");
  });

  it("raises UnsupportedVersion for a newer format", () => {
    const bytes = sign();
    bytes[4] = 2;
    expect(codeOf(() => verifyDeviceList(bytes, { userId: USER_ID }))).toBe("UnsupportedVersion");
  });

  it("refuses another user's list", () => {
    expect(codeOf(() => verifyDeviceList(sign(), { userId: OTHER_USER_ID }))).toBe("InvalidDeviceList");
  });

  it("refuses a list signed by a key other than the one it names", () => {
    const bytes = sign();
    const mallory = IdentityKeyPair.generate(random);
    const body = bytes.subarray(0, bytes.length - 64);
    const forged = concatBytes(body, mallory.sign(DEVICE_LIST_SIGNATURE_LABEL, body));
    expect(codeOf(() => verifyDeviceList(forged, { userId: USER_ID }))).toBe("InvalidDeviceList");
    // A signature made for another purpose with the right key does not verify either.
    const otherPurpose = concatBytes(body, account.sign("Hearth_SignedPreKey_v1", body));
    expect(codeOf(() => verifyDeviceList(otherPurpose, { userId: USER_ID }))).toBe("InvalidDeviceList");
  });

  it("raises UntrustedIdentity for a valid list under a changed account key", () => {
    const newAccount = IdentityKeyPair.generate(random);
    const bytes = signDeviceList({ accountKeyPair: newAccount, userId: USER_ID, version: 8, devices, now: NOW });
    expect(codeOf(() => verifyDeviceList(bytes, { userId: USER_ID, trustedAccountKey: account.identityKey }))).toBe("UntrustedIdentity");
    expect(verifyDeviceList(bytes, { userId: USER_ID }).accountKey.equals(newAccount.identityKey)).toBe(true);
    // Garbage never gets as far as a key-change warning.
    const broken = bytes.slice();
    broken[broken.length - 1]! ^= 1;
    expect(codeOf(() => verifyDeviceList(broken, { userId: USER_ID, trustedAccountKey: account.identityKey }))).toBe("InvalidDeviceList");
  });

  it("refuses bad lists at signing", () => {
    const one = device(1);
    const refused = (overrides: Partial<Parameters<typeof signDeviceList>[0]>) => codeOf(() => sign(overrides));
    expect(refused({ devices: [] })).toBe("RangeError");
    expect(refused({ devices: Array.from({ length: 11 }, (_, i) => device(i + 1)) })).toBe("RangeError");
    expect(refused({ devices: [one, { ...device(2), deviceId: 1 }] })).toBe("RangeError");
    expect(refused({ devices: [one, { ...device(2), rowId: one.rowId.toUpperCase() }] })).toBe("RangeError");
    expect(refused({ devices: [one, { ...device(2), identityKey: one.identityKey }] })).toBe("RangeError");
    expect(refused({ devices: [{ ...one, identityKey: account.identityKey }] })).toBe("RangeError");
    expect(refused({ devices: [{ ...one, name: "x".repeat(65) }] })).toBe("RangeError");
    expect(refused({ devices: [{ ...one, name: "é".repeat(33) }] })).toBe("RangeError");
    expect(refused({ devices: [{ ...one, name: "" }] })).toBe("RangeError");
    expect(refused({ devices: [{ ...one, rowId: "not-a-uuid" }] })).toBe("RangeError");
    expect(refused({ devices: [{ ...one, deviceId: -1 }] })).toBe("RangeError");
    expect(refused({ devices: [{ ...one, addedAt: 1.5 }] })).toBe("RangeError");
    expect(refused({ userId: "alice" })).toBe("RangeError");
    expect(refused({ version: 0 })).toBe("RangeError");
    expect(refused({ version: 2 ** 32 })).toBe("RangeError");
    expect(refused({ devices: [{ ...one, name: "x".repeat(64) }] })).toBeUndefined();
    expect(refused({ devices: Array.from({ length: 10 }, (_, i) => device(i + 1)) })).toBeUndefined();
  });

  it("accepts only names that read back exactly and show no control characters", () => {
    expect(isValidDeviceName("Chrome on Linux")).toBe(true);
    expect(isValidDeviceName("👩‍💻 laptop")).toBe(true);
    for (const name of ["", "tab\there", "new\nline", "\u0085", "\uFEFFbom", "rtl\u202Eoverride", "lone \uD800 surrogate", "x".repeat(65)]) {
      expect(isValidDeviceName(name), JSON.stringify(name)).toBe(false);
    }
  });

  it("orders versions for the rollback check", () => {
    expect(isNewerDeviceList({ version: 1 }, undefined)).toBe(true);
    expect(isNewerDeviceList({ version: 8 }, { version: 7 })).toBe(true);
    expect(isNewerDeviceList({ version: 7 }, { version: 7 })).toBe(false);
    expect(isNewerDeviceList({ version: 6 }, { version: 7 })).toBe(false);
  });
});
