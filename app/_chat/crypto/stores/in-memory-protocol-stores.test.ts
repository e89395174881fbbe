import { beforeAll, describe, expect, it } from "vitest";
import { IdentityKeyPair } from "../keys/identity-key";
import { KyberPreKeyRecord } from "../keys/kyber-pre-key-record";
import { loadCryptoCore } from "../sodium";
import { createDeterministicRandom } from "../testing/deterministic-random";
import { createInMemoryProtocolStores } from "./in-memory-protocol-stores";

beforeAll(loadCryptoCore);

describe("in-memory stores", () => {
  const random = createDeterministicRandom("stores");
  const address = { userId: "bob", deviceId: 2 };

  it("trust an identity on first use and distrust a changed one until it is saved", async () => {
    const stores = createInMemoryProtocolStores(IdentityKeyPair.generate(random));
    const first = IdentityKeyPair.generate(random).identityKey;
    const second = IdentityKeyPair.generate(random).identityKey;
    expect(await stores.identity.isTrustedIdentity(address, first, "sending")).toBe(true);
    expect(await stores.identity.saveIdentity(address, first)).toBe(false);
    expect(await stores.identity.isTrustedIdentity(address, second, "receiving")).toBe(false);
    expect(await stores.identity.isTrustedIdentity({ ...address, deviceId: 3 }, second, "receiving")).toBe(true);
    expect(await stores.identity.saveIdentity(address, second)).toBe(true);
    expect(await stores.identity.isTrustedIdentity(address, second, "sending")).toBe(true);
    expect((await stores.identity.getIdentity(address))!.equals(second)).toBe(true);
  });

  it("delete a used one-time ML-KEM prekey, and remember the handshakes that used the last-resort one", async () => {
    const identityKeyPair = IdentityKeyPair.generate(random);
    const stores = createInMemoryProtocolStores(identityKeyPair);
    const now = 0;
    await stores.kyberPreKeys.saveKyberPreKey(KyberPreKeyRecord.generate({ id: 1, kind: "lastResort", identityKeyPair, now, random }));
    await stores.kyberPreKeys.saveKyberPreKey(KyberPreKeyRecord.generate({ id: 2, kind: "oneTime", identityKeyPair, now, random }));
    const baseKey = new Uint8Array(32).fill(7);
    await stores.kyberPreKeys.markKyberPreKeyUsed(2, 1, baseKey);
    expect(await stores.kyberPreKeys.getKyberPreKey(2)).toBeNull();
    expect(await stores.kyberPreKeys.hasUsedKyberPreKey(1, baseKey)).toBe(false);
    await stores.kyberPreKeys.markKyberPreKeyUsed(1, 1, baseKey);
    expect(await stores.kyberPreKeys.getKyberPreKey(1)).not.toBeNull();
    expect(await stores.kyberPreKeys.hasUsedKyberPreKey(1, baseKey)).toBe(true);
    expect(await stores.kyberPreKeys.hasUsedKyberPreKey(1, new Uint8Array(32))).toBe(false);
  });
});
