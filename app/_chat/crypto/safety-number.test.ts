import { beforeAll, describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { IdentityKeyPair } from "./keys/identity-key";
import {
  compareScannedSafetyNumber,
  computeSafetyNumber,
  fingerprintDigits,
  fingerprintHash,
  formatSafetyNumber,
  type SafetyNumberParty,
} from "./safety-number";
import { loadCryptoCore } from "./sodium";
import { createDeterministicRandom } from "./testing/deterministic-random";

beforeAll(loadCryptoCore);

describe("safety numbers", () => {
  it("reproduce libsignal's fingerprint test vector (version 1, 5,200 iterations)", () => {
    const aliceKey = hexToBytes("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868");
    const bobKey = hexToBytes("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b");
    const alice = fingerprintHash(aliceKey, utf8ToBytes("+14152222222"));
    const bob = fingerprintHash(bobKey, utf8ToBytes("+14153333333"));
    expect(bytesToHex(alice.subarray(0, 32))).toBe("1e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df");
    expect(bytesToHex(bob.subarray(0, 32))).toBe("d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d");
    const [first, second] = [fingerprintDigits(alice), fingerprintDigits(bob)].sort();
    expect(first! + second!).toBe("300354477692869396892869876765458257569162576843440918079131");
  });

  const random = createDeterministicRandom("safety-number");
  let alice: SafetyNumberParty;
  let bob: SafetyNumberParty;
  beforeAll(() => {
    alice = { stableId: "user_alice", identityKey: IdentityKeyPair.generate(random).identityKey };
    bob = { stableId: "user_bob", identityKey: IdentityKeyPair.generate(random).identityKey };
  });

  it("are the same 60 digits on both sides", () => {
    const fromAlice = computeSafetyNumber({ local: alice, remote: bob });
    const fromBob = computeSafetyNumber({ local: bob, remote: alice });
    expect(fromAlice.digits).toMatch(/^\d{60}$/);
    expect(fromAlice.digits).toBe(fromBob.digits);
    expect(formatSafetyNumber(fromAlice.digits)).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(compareScannedSafetyNumber(fromAlice.qrPayload, fromBob.qrPayload)).toBe(true);
    expect(compareScannedSafetyNumber(fromBob.qrPayload, fromAlice.qrPayload)).toBe(true);
    expect(compareScannedSafetyNumber(fromAlice.qrPayload, fromAlice.qrPayload)).toBe(false);
  });

  it("change when either key or either id changes", () => {
    const reference = computeSafetyNumber({ local: alice, remote: bob });
    const mallory = IdentityKeyPair.generate(random).identityKey;
    for (const [local, remote] of [
      [{ ...alice, identityKey: mallory }, bob],
      [alice, { ...bob, identityKey: mallory }],
      [{ ...alice, stableId: "user_alice2" }, bob],
      [alice, { ...bob, stableId: "user_bob2" }],
    ] as const) {
      const changed = computeSafetyNumber({ local, remote });
      expect(changed.digits).not.toBe(reference.digits);
      expect(compareScannedSafetyNumber(changed.qrPayload, computeSafetyNumber({ local: bob, remote: alice }).qrPayload)).toBe(false);
    }
  });

  it("refuse malformed QR payloads and other versions", () => {
    const own = computeSafetyNumber({ local: alice, remote: bob }).qrPayload;
    expect(() => compareScannedSafetyNumber(own, new Uint8Array(0))).toThrow(expect.objectContaining({ code: "InvalidSafetyNumber" }));
    expect(() => compareScannedSafetyNumber(own, own.subarray(0, 40))).toThrow(expect.objectContaining({ code: "InvalidSafetyNumber" }));
    expect(() => compareScannedSafetyNumber(own, Uint8Array.of(2, ...own.subarray(1)))).toThrow(
      expect.objectContaining({ code: "SafetyNumberVersionMismatch" }),
    );
  });
});
