/**
 * A device with in-memory stores and published prekeys, for tests and the benchmark.
 */
import { IdentityKeyPair } from "../keys/identity-key";
import { generateKyberPreKeys, KyberPreKeyRecord } from "../keys/kyber-pre-key-record";
import type { PreKeyBundle } from "../keys/pre-key-bundle";
import { generatePreKeys } from "../keys/pre-key-record";
import { SignedPreKeyRecord } from "../keys/signed-pre-key-record";
import type { ProtocolAddress } from "../protocol-address";
import type { RandomSource } from "../random";
import { createInMemoryProtocolStores, type InMemoryProtocolStores } from "../stores/in-memory-protocol-stores";

export interface TestDevice {
  readonly address: ProtocolAddress;
  readonly identityKeyPair: IdentityKeyPair;
  readonly stores: InMemoryProtocolStores;
  readonly random: RandomSource;
  /** A bundle as the server would hand it out: the next unused one-time keys, if asked for. */
  bundle(options?: { oneTimePreKey?: boolean; oneTimeKyberPreKey?: boolean }): Promise<PreKeyBundle>;
}

export const LAST_RESORT_KYBER_ID = 1;
const FIRST_ONE_TIME_KYBER_ID = 100;

export async function createTestDevice(options: {
  userId: string;
  deviceId?: number;
  random: RandomSource;
  now?: number;
  oneTimePreKeys?: number;
}): Promise<TestDevice> {
  const { random } = options;
  const now = options.now ?? Date.UTC(2026, 0, 1);
  const identityKeyPair = IdentityKeyPair.generate(random);
  const stores = createInMemoryProtocolStores(identityKeyPair);
  const signedPreKey = SignedPreKeyRecord.generate({ id: 1, identityKeyPair, now, random });
  await stores.signedPreKeys.saveSignedPreKey(signedPreKey);
  const lastResort = KyberPreKeyRecord.generate({ id: LAST_RESORT_KYBER_ID, kind: "lastResort", identityKeyPair, now, random });
  await stores.kyberPreKeys.saveKyberPreKey(lastResort);
  const count = options.oneTimePreKeys ?? 3;
  const preKeys = generatePreKeys({ firstId: 1, count, random });
  for (const record of preKeys) await stores.preKeys.savePreKey(record);
  const kyberPreKeys = generateKyberPreKeys({ firstId: FIRST_ONE_TIME_KYBER_ID, count, identityKeyPair, now, random });
  for (const record of kyberPreKeys) await stores.kyberPreKeys.saveKyberPreKey(record);

  let nextPreKey = 0;
  let nextKyber = 0;
  return {
    address: { userId: options.userId, deviceId: options.deviceId ?? 1 },
    identityKeyPair,
    stores,
    random,
    async bundle(bundleOptions = {}) {
      const preKey = bundleOptions.oneTimePreKey === false ? undefined : preKeys[nextPreKey++];
      const kyber = bundleOptions.oneTimeKyberPreKey === false ? undefined : kyberPreKeys[nextKyber++];
      return {
        identityKey: identityKeyPair.identityKey,
        signedPreKey: signedPreKey.toPublic(),
        kyberPreKey: (kyber ?? lastResort).toPublic(),
        ...(preKey ? { preKey: preKey.toPublic() } : {}),
      };
    },
  };
}
