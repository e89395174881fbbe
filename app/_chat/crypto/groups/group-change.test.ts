import { utf8ToBytes } from "@noble/hashes/utils.js";
import { beforeAll, describe, expect, it } from "vitest";
import { IdentityKeyPair } from "../keys/identity-key";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { GROUP_CHANGE_SIGNATURE_LABEL, signGroupChange, verifyGroupChange } from "./group-change";

beforeAll(loadCryptoCore);

const random = createDeterministicRandom("group-change");
const change = utf8ToBytes(JSON.stringify({ group: "0b9d6f3e-2f1a-4c1e-9b55-6a1f0c2d3e4f", revision: 4, remove: ["dave"] }));

describe("group changes", () => {
  it("verifies with the signing account's key, over exactly the transmitted bytes", () => {
    const alice = IdentityKeyPair.generate(random);
    const signature = signGroupChange(alice, change);
    expect(signature.length).toBe(64);
    expect(verifyGroupChange(alice.identityKey, change, signature)).toBe(true);
    // Same JSON meaning, other bytes: not what was signed.
    const reformatted = utf8ToBytes(JSON.stringify(JSON.parse(new TextDecoder().decode(change)), null, 1));
    expect(verifyGroupChange(alice.identityKey, reformatted, signature)).toBe(false);
  });

  it("refuses a change signed by another account, an altered change or signature, and a signature made for another purpose", () => {
    const alice = IdentityKeyPair.generate(random);
    const mallory = IdentityKeyPair.generate(random);
    const signature = signGroupChange(alice, change);
    expect(verifyGroupChange(alice.identityKey, change, signGroupChange(mallory, change))).toBe(false);
    expect(verifyGroupChange(mallory.identityKey, change, signature)).toBe(false);
    for (const index of [0, 10, change.length - 1]) {
      const altered = change.slice();
      altered[index]! ^= 1;
      expect(verifyGroupChange(alice.identityKey, altered, signature)).toBe(false);
    }
    const alteredSignature = signature.slice();
    alteredSignature[5]! ^= 1;
    expect(verifyGroupChange(alice.identityKey, change, alteredSignature)).toBe(false);
    expect(verifyGroupChange(alice.identityKey, change, signature.subarray(0, 63))).toBe(false);
    expect(verifyGroupChange(alice.identityKey, change, alice.sign("Hearth_DeviceList_v1", change))).toBe(false);
    expect(verifyGroupChange(alice.identityKey, change, alice.sign(GROUP_CHANGE_SIGNATURE_LABEL, change))).toBe(true);
  });
});
