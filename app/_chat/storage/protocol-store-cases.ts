/**
 * The behaviour every implementation of the crypto core's `ProtocolStores` must show, as test
 * cases to run against each one (`protocol-stores.test.ts` runs them against the in-memory stores
 * and the IndexedDB ones). Test-only.
 */
import { describe, expect, it } from "vitest";
import {
  decryptMessage,
  encryptMessage,
  IdentityKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  processPreKeyBundle,
  SignedPreKeyRecord,
  systemRandom,
  type PreKeyBundle,
  type ProtocolAddress,
  type ProtocolStores,
} from "../crypto";

export type MakeProtocolStores = (identityKeyPair: IdentityKeyPair) => Promise<ProtocolStores>;

const random = systemRandom;
const now = Date.UTC(2026, 0, 1);
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Stores its own signed, last-resort ML-KEM and one-time prekeys, and returns the bundle that publishes them. */
export async function publishPreKeys(stores: ProtocolStores): Promise<PreKeyBundle> {
  const identityKeyPair = await stores.identity.getIdentityKeyPair();
  const signedPreKey = SignedPreKeyRecord.generate({ id: 1, identityKeyPair, now, random });
  const kyberPreKey = KyberPreKeyRecord.generate({ id: 1, kind: "lastResort", identityKeyPair, now, random });
  const preKey = PreKeyRecord.generate({ id: 7, random });
  await stores.signedPreKeys.saveSignedPreKey(signedPreKey);
  await stores.kyberPreKeys.saveKyberPreKey(kyberPreKey);
  await stores.preKeys.savePreKey(preKey);
  return {
    identityKey: identityKeyPair.identityKey,
    signedPreKey: signedPreKey.toPublic(),
    kyberPreKey: kyberPreKey.toPublic(),
    preKey: preKey.toPublic(),
  };
}

export function describeProtocolStoreCases(name: string, makeStores: MakeProtocolStores): void {
  describe(`${name}: protocol store cases`, () => {
    const address: ProtocolAddress = { userId: "bob", deviceId: 2 };

    it("hand back the device's identity key pair", async () => {
      const identityKeyPair = IdentityKeyPair.generate(random);
      const stores = await makeStores(identityKeyPair);
      const stored = await stores.identity.getIdentityKeyPair();
      expect(stored.identityKey.equals(identityKeyPair.identityKey)).toBe(true);
      expect(stored.serialize()).toEqual(identityKeyPair.serialize());
    });

    it("trust an identity on first use and distrust a changed one until it is saved", async () => {
      const stores = await makeStores(IdentityKeyPair.generate(random));
      const first = IdentityKeyPair.generate(random).identityKey;
      const second = IdentityKeyPair.generate(random).identityKey;
      expect(await stores.identity.getIdentity(address)).toBeNull();
      expect(await stores.identity.isTrustedIdentity(address, first, "sending")).toBe(true);
      expect(await stores.identity.saveIdentity(address, first)).toBe(false);
      expect(await stores.identity.saveIdentity(address, first)).toBe(false);
      expect(await stores.identity.isTrustedIdentity(address, second, "receiving")).toBe(false);
      expect(await stores.identity.isTrustedIdentity(address, second, "sending")).toBe(false);
      expect(await stores.identity.isTrustedIdentity({ ...address, deviceId: 3 }, second, "receiving")).toBe(true);
      expect(await stores.identity.saveIdentity(address, second)).toBe(true);
      expect(await stores.identity.isTrustedIdentity(address, second, "sending")).toBe(true);
      expect(await stores.identity.isTrustedIdentity(address, first, "sending")).toBe(false);
      expect((await stores.identity.getIdentity(address))!.equals(second)).toBe(true);
    });

    it("keep, return and remove one-time and signed prekeys", async () => {
      const identityKeyPair = IdentityKeyPair.generate(random);
      const stores = await makeStores(identityKeyPair);
      const preKey = PreKeyRecord.generate({ id: 5, random });
      const signedPreKey = SignedPreKeyRecord.generate({ id: 9, identityKeyPair, now, random });
      expect(await stores.preKeys.getPreKey(5)).toBeNull();
      await stores.preKeys.savePreKey(preKey);
      await stores.signedPreKeys.saveSignedPreKey(signedPreKey);
      expect((await stores.preKeys.getPreKey(5))!.serialize()).toEqual(preKey.serialize());
      expect((await stores.signedPreKeys.getSignedPreKey(9))!.serialize()).toEqual(signedPreKey.serialize());
      await stores.preKeys.removePreKey(5);
      await stores.signedPreKeys.removeSignedPreKey(9);
      expect(await stores.preKeys.getPreKey(5)).toBeNull();
      expect(await stores.signedPreKeys.getSignedPreKey(9)).toBeNull();
      await stores.preKeys.removePreKey(5);
    });

    it("delete a used one-time ML-KEM prekey, and remember the handshakes that used the last-resort one", async () => {
      const identityKeyPair = IdentityKeyPair.generate(random);
      const stores = await makeStores(identityKeyPair);
      const lastResort = KyberPreKeyRecord.generate({ id: 1, kind: "lastResort", identityKeyPair, now, random });
      await stores.kyberPreKeys.saveKyberPreKey(lastResort);
      await stores.kyberPreKeys.saveKyberPreKey(KyberPreKeyRecord.generate({ id: 2, kind: "oneTime", identityKeyPair, now, random }));
      const baseKey = new Uint8Array(32).fill(7);
      await stores.kyberPreKeys.markKyberPreKeyUsed(2, 1, baseKey);
      expect(await stores.kyberPreKeys.getKyberPreKey(2)).toBeNull();
      expect(await stores.kyberPreKeys.hasUsedKyberPreKey(1, baseKey)).toBe(false);
      await stores.kyberPreKeys.markKyberPreKeyUsed(1, 1, baseKey);
      expect((await stores.kyberPreKeys.getKyberPreKey(1))!.serialize()).toEqual(lastResort.serialize());
      expect(await stores.kyberPreKeys.hasUsedKyberPreKey(1, baseKey)).toBe(true);
      expect(await stores.kyberPreKeys.hasUsedKyberPreKey(1, new Uint8Array(32))).toBe(false);
      expect(await stores.kyberPreKeys.hasUsedKyberPreKey(3, baseKey)).toBe(false);
      await stores.kyberPreKeys.markKyberPreKeyUsed(4, 1, baseKey);
      expect(await stores.kyberPreKeys.hasUsedKyberPreKey(4, baseKey)).toBe(false);
    });

    it("forget the handshakes of a last-resort ML-KEM prekey once it is removed", async () => {
      const identityKeyPair = IdentityKeyPair.generate(random);
      const stores = await makeStores(identityKeyPair);
      const lastResort = KyberPreKeyRecord.generate({ id: 1, kind: "lastResort", identityKeyPair, now, random });
      const other = KyberPreKeyRecord.generate({ id: 2, kind: "lastResort", identityKeyPair, now, random });
      await stores.kyberPreKeys.saveKyberPreKey(lastResort);
      await stores.kyberPreKeys.saveKyberPreKey(other);
      const baseKey = new Uint8Array(32).fill(9);
      await stores.kyberPreKeys.markKyberPreKeyUsed(1, 1, baseKey);
      await stores.kyberPreKeys.markKyberPreKeyUsed(2, 1, baseKey);
      await stores.kyberPreKeys.removeKyberPreKey(1);
      expect(await stores.kyberPreKeys.getKyberPreKey(1)).toBeNull();
      await stores.kyberPreKeys.saveKyberPreKey(lastResort);
      expect(await stores.kyberPreKeys.hasUsedKyberPreKey(1, baseKey)).toBe(false);
      expect(await stores.kyberPreKeys.hasUsedKyberPreKey(2, baseKey)).toBe(true);
    });

    it("carry a whole session: handshake, messages both ways, one-time prekeys consumed, replays refused", async () => {
      const alice = await makeStores(IdentityKeyPair.generate(random));
      const bob = await makeStores(IdentityKeyPair.generate(random));
      const aliceAddress: ProtocolAddress = { userId: "alice", deviceId: 1 };
      const bobAddress: ProtocolAddress = { userId: "bob", deviceId: 1 };
      expect(await alice.sessions.loadSession(bobAddress)).toBeNull();

      await processPreKeyBundle({ address: bobAddress, bundle: await publishPreKeys(bob), stores: alice, random });
      const first = await encryptMessage({ address: bobAddress, plaintext: utf8("hello bob"), stores: alice, random });
      expect(first.type).toBe("prekey");
      expect(text(await decryptMessage({ address: aliceAddress, message: first, stores: bob, random, now: Date.now() }))).toBe("hello bob");
      expect(await bob.preKeys.getPreKey(7)).toBeNull();

      const reply = await encryptMessage({ address: aliceAddress, plaintext: utf8("hi alice"), stores: bob, random });
      expect(reply.type).toBe("message");
      expect(text(await decryptMessage({ address: bobAddress, message: reply, stores: alice, random, now: Date.now() }))).toBe("hi alice");
      await expect(decryptMessage({ address: bobAddress, message: reply, stores: alice, random, now: Date.now() })).rejects.toMatchObject({
        code: "DuplicatedMessage",
      });

      const stored = await alice.sessions.loadSession(bobAddress);
      expect(stored!.serialize()).toEqual((await alice.sessions.loadSession(bobAddress))!.serialize());
      expect((await alice.identity.getIdentity(bobAddress))!.equals((await bob.identity.getIdentityKeyPair()).identityKey)).toBe(true);
    });
  });
}
