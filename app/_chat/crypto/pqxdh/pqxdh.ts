/**
 * PQXDH (Signal's specification, revision 3) over X25519 and ML-KEM-768:
 *
 *   DH1 = DH(IK_A, SPK_B)  DH2 = DH(EK_A, IK_B)  DH3 = DH(EK_A, SPK_B)  [DH4 = DH(EK_A, OPK_B)]
 *   (CT, SS) = ML-KEM-768.Encaps(PQPK_B)
 *   SK = HKDF-SHA-256(IKM = 32×0xFF ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4] ‖ SS, salt = 32 zero bytes,
 *                     info = "Hearth_PQXDH_X25519_SHA-256_ML-KEM-768", 32 bytes)
 *   AD = Encode(IK_A) ‖ Encode(IK_B)
 *
 * Identity keys take part in DH through their X25519 form. The initiator verifies both prekey
 * signatures first; every DH refuses low-order keys. The responder loads its prekeys through
 * the stores and leaves deleting the used ones to its caller, which does it only once the first
 * message has authenticated (so a forged handshake cannot burn a one-time prekey).
 */
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { wipe } from "../bytes";
import { CryptoError } from "../errors";
import { hkdfSha256, KDF_LABELS } from "../kdf";
import type { IdentityKey, IdentityKeyPair } from "../keys/identity-key";
import type { KyberPreKeyRecord } from "../keys/kyber-pre-key-record";
import { verifyPreKeyBundle, type PreKeyBundle } from "../keys/pre-key-bundle";
import type { PreKeyRecord } from "../keys/pre-key-record";
import type { SignedPreKeyRecord } from "../keys/signed-pre-key-record";
import { x25519, X25519KeyPair, type X25519PublicKey } from "../keys/x25519";
import type { RandomSource } from "../random";
import type { KyberPreKeyStore, PreKeyStore, SignedPreKeyStore } from "../stores/protocol-stores";

const F = new Uint8Array(32).fill(0xff);
const SALT = new Uint8Array(32);
const INFO = utf8ToBytes(KDF_LABELS.pqxdh);

/** What the initiator's first message must carry besides the ratchet message. */
export interface PqxdhHandshake {
  readonly identityKey: IdentityKey;
  readonly baseKey: X25519PublicKey;
  readonly signedPreKeyId: number;
  readonly preKeyId?: number;
  readonly kyberPreKeyId: number;
  readonly kyberCiphertext: Uint8Array;
}

export interface PqxdhInitiatorResult {
  readonly sharedKey: Uint8Array;
  readonly associatedData: Uint8Array;
  readonly handshake: PqxdhHandshake;
  /** SPK_B, the first remote ratchet key of the Double Ratchet. */
  readonly remoteSignedPreKey: X25519PublicKey;
}

export interface PqxdhResponderResult {
  readonly sharedKey: Uint8Array;
  readonly associatedData: Uint8Array;
  /** SPK_B, the responder's first ratchet key pair. */
  readonly signedPreKey: SignedPreKeyRecord;
  readonly preKey?: PreKeyRecord;
  readonly kyberPreKey: KyberPreKeyRecord;
}

/** SK = HKDF(F ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4] ‖ SS). Exported for the known-answer tests. */
export function derivePqxdhSecret(dhOutputs: readonly Uint8Array[], kemSharedSecret: Uint8Array): Uint8Array {
  const ikm = concatBytes(F, ...dhOutputs, kemSharedSecret);
  const sharedKey = hkdfSha256(ikm, SALT, INFO, 32);
  wipe(ikm);
  return sharedKey;
}

export function pqxdhAssociatedData(initiator: IdentityKey, responder: IdentityKey): Uint8Array {
  return concatBytes(initiator.serialize(), responder.serialize());
}

/**
 * Alice's side: verifies Bob's bundle, then derives SK and the handshake fields.
 * @throws {CryptoError} `InvalidSignature` for a bundle whose prekey signatures fail;
 *   `InvalidKey` for low-order keys.
 */
export function pqxdhInitiate(options: { identityKeyPair: IdentityKeyPair; bundle: PreKeyBundle; random: RandomSource }): PqxdhInitiatorResult {
  const { identityKeyPair, bundle, random } = options;
  verifyPreKeyBundle(bundle);
  const ephemeral = X25519KeyPair.generate(random);
  const dhOutputs = [
    identityKeyPair.agree(bundle.signedPreKey.publicKey),
    x25519(ephemeral.privateKey, bundle.identityKey.dhPublicKey),
    ephemeral.agree(bundle.signedPreKey.publicKey),
  ];
  if (bundle.preKey) dhOutputs.push(ephemeral.agree(bundle.preKey.publicKey));
  const { ciphertext, sharedSecret } = bundle.kyberPreKey.publicKey.encapsulate(random);
  const sharedKey = derivePqxdhSecret(dhOutputs, sharedSecret);
  wipe(ephemeral.privateKey, sharedSecret, ...dhOutputs);
  return {
    sharedKey,
    associatedData: pqxdhAssociatedData(identityKeyPair.identityKey, bundle.identityKey),
    remoteSignedPreKey: bundle.signedPreKey.publicKey,
    handshake: {
      identityKey: identityKeyPair.identityKey,
      baseKey: ephemeral.publicKey,
      signedPreKeyId: bundle.signedPreKey.id,
      ...(bundle.preKey ? { preKeyId: bundle.preKey.id } : {}),
      kyberPreKeyId: bundle.kyberPreKey.id,
      kyberCiphertext: ciphertext,
    },
  };
}

/**
 * Bob's side: loads the prekeys the handshake names and derives the same SK.
 * @throws {CryptoError} `InvalidKeyId` when a named prekey is missing; `InvalidKey` for
 *   low-order keys; `InvalidMessage` for a malformed ciphertext.
 */
export async function pqxdhRespond(options: {
  identityKeyPair: IdentityKeyPair;
  handshake: PqxdhHandshake;
  stores: { preKeys: PreKeyStore; signedPreKeys: SignedPreKeyStore; kyberPreKeys: KyberPreKeyStore };
}): Promise<PqxdhResponderResult> {
  const { identityKeyPair, handshake, stores } = options;
  const signedPreKey = await stores.signedPreKeys.getSignedPreKey(handshake.signedPreKeyId);
  if (!signedPreKey) throw new CryptoError("InvalidKeyId", "unknown signed prekey");
  const kyberPreKey = await stores.kyberPreKeys.getKyberPreKey(handshake.kyberPreKeyId);
  if (!kyberPreKey) throw new CryptoError("InvalidKeyId", "unknown ML-KEM prekey");
  let preKey: PreKeyRecord | null = null;
  if (handshake.preKeyId !== undefined) {
    preKey = await stores.preKeys.getPreKey(handshake.preKeyId);
    if (!preKey) throw new CryptoError("InvalidKeyId", "unknown one-time prekey");
  }
  const dhOutputs = [
    x25519(signedPreKey.keyPair.privateKey, handshake.identityKey.dhPublicKey),
    identityKeyPair.agree(handshake.baseKey),
    signedPreKey.keyPair.agree(handshake.baseKey),
  ];
  if (preKey) dhOutputs.push(preKey.keyPair.agree(handshake.baseKey));
  const sharedSecret = kyberPreKey.keyPair.decapsulate(handshake.kyberCiphertext);
  const sharedKey = derivePqxdhSecret(dhOutputs, sharedSecret);
  wipe(sharedSecret, ...dhOutputs);
  return {
    sharedKey,
    associatedData: pqxdhAssociatedData(handshake.identityKey, identityKeyPair.identityKey),
    signedPreKey,
    kyberPreKey,
    ...(preKey ? { preKey } : {}),
  };
}
