/**
 * Two Double Ratchet sessions joined by a real PQXDH handshake, without the session stores:
 * for tests and the benchmark of the ratchet alone.
 */
import { IdentityKeyPair } from "../keys/identity-key";
import { pqxdhInitiate, pqxdhRespond } from "../pqxdh/pqxdh";
import { initializeInitiatorSession, initializeResponderSession } from "../ratchet/double-ratchet";
import type { SessionState } from "../ratchet/session-state";
import type { RandomSource } from "../random";
import { createDeterministicRandom } from "./deterministic-random";
import { createTestDevice } from "./test-device";

export interface SessionPair {
  readonly alice: SessionState;
  readonly bob: SessionState;
  readonly aliceRandom: RandomSource;
  readonly bobRandom: RandomSource;
}

export async function createSessionPair(seed: string, randoms?: { alice: RandomSource; bob: RandomSource }): Promise<SessionPair> {
  const aliceRandom = randoms?.alice ?? createDeterministicRandom(`${seed}/alice`);
  const bobRandom = randoms?.bob ?? createDeterministicRandom(`${seed}/bob`);
  const bobDevice = await createTestDevice({ userId: "bob", random: bobRandom });
  const aliceIdentity = IdentityKeyPair.generate(aliceRandom);
  const bundle = await bobDevice.bundle();
  const initiator = pqxdhInitiate({ identityKeyPair: aliceIdentity, bundle, random: aliceRandom });
  const responder = await pqxdhRespond({
    identityKeyPair: bobDevice.identityKeyPair,
    handshake: initiator.handshake,
    stores: bobDevice.stores,
  });
  const { handshake } = initiator;
  const alice = initializeInitiatorSession({
    sharedKey: initiator.sharedKey,
    localIdentity: aliceIdentity.identityKey,
    remoteIdentity: bundle.identityKey,
    remoteSignedPreKey: initiator.remoteSignedPreKey,
    baseKey: handshake.baseKey,
    pendingPreKey: { signedPreKeyId: handshake.signedPreKeyId, kyberPreKeyId: handshake.kyberPreKeyId, kyberCiphertext: handshake.kyberCiphertext },
    random: aliceRandom,
  });
  const bob = initializeResponderSession({
    sharedKey: responder.sharedKey,
    localIdentity: bobDevice.identityKeyPair.identityKey,
    remoteIdentity: aliceIdentity.identityKey,
    signedPreKey: responder.signedPreKey.keyPair,
    baseKey: handshake.baseKey,
  });
  return { alice, bob, aliceRandom, bobRandom };
}
