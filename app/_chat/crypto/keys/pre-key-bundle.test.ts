import { beforeAll, describe, expect, it } from "vitest";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { createTestDevice } from "../testing/test-device";
import { deserializePreKeyBundle, serializePreKeyBundle, verifyPreKeyBundle } from "./pre-key-bundle";

beforeAll(loadCryptoCore);

describe("PreKeyBundle", () => {
  it("round-trips with and without a one-time prekey", async () => {
    const device = await createTestDevice({ userId: "bob", random: createDeterministicRandom("bundle") });
    for (const bundle of [await device.bundle(), await device.bundle({ oneTimePreKey: false, oneTimeKyberPreKey: false })]) {
      const restored = deserializePreKeyBundle(serializePreKeyBundle(bundle));
      expect(restored.identityKey.equals(bundle.identityKey)).toBe(true);
      expect(restored.signedPreKey.id).toBe(bundle.signedPreKey.id);
      expect(restored.kyberPreKey.publicKey.equals(bundle.kyberPreKey.publicKey)).toBe(true);
      expect(restored.preKey?.id).toBe(bundle.preKey?.id);
      verifyPreKeyBundle(restored);
    }
  });

  it("refuses a bundle whose prekey signatures do not verify", async () => {
    const device = await createTestDevice({ userId: "bob", random: createDeterministicRandom("bundle-bad") });
    const other = await createTestDevice({ userId: "mallory", random: createDeterministicRandom("bundle-mallory") });
    const bundle = await device.bundle();
    const forged = await other.bundle();
    const flipped = bundle.signedPreKey.signature.slice();
    flipped[10]! ^= 1;
    for (const bad of [
      { ...bundle, signedPreKey: { ...bundle.signedPreKey, signature: flipped } },
      { ...bundle, signedPreKey: forged.signedPreKey },
      { ...bundle, kyberPreKey: forged.kyberPreKey },
      { ...bundle, identityKey: forged.identityKey },
    ]) {
      expect(() => verifyPreKeyBundle(bad)).toThrow(expect.objectContaining({ code: "InvalidSignature" }));
    }
  });

  it("refuses truncated bundles and trailing bytes", async () => {
    const device = await createTestDevice({ userId: "bob", random: createDeterministicRandom("bundle-trunc") });
    const bytes = serializePreKeyBundle(await device.bundle());
    expect(() => deserializePreKeyBundle(bytes.subarray(0, bytes.length - 1))).toThrow(expect.objectContaining({ code: "InvalidKey" }));
    expect(() => deserializePreKeyBundle(Uint8Array.of(...bytes, 0))).toThrow(expect.objectContaining({ code: "InvalidKey" }));
  });
});
