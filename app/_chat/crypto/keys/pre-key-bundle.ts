/**
 * The public keys a device publishes so others can start a session with it while it is
 * offline: identity key, signed prekey, ML-KEM prekey (one-time, or the last-resort one), and a
 * one-time X25519 prekey while any are left.
 *
 * Serialized: 0x01 ‖ identity key 33 ‖ signed prekey id u32 ‖ key 33 ‖ signature 64 ‖
 * ML-KEM prekey id u32 ‖ key 1185 ‖ signature 64 ‖ has one-time prekey u8 ‖ [id u32 ‖ key 33].
 */
import { ByteReader, ByteWriter } from "../bytes";
import { CryptoError } from "../errors";
import { IDENTITY_KEY_ENCODED_BYTES, IdentityKey } from "./identity-key";
import { verifyKyberPreKey, type KyberPreKeyPublic } from "./kyber-pre-key-record";
import { KYBER_PUBLIC_KEY_ENCODED_BYTES, KyberPublicKey } from "./ml-kem";
import type { PreKeyPublic } from "./pre-key-record";
import { verifySignedPreKey, type SignedPreKeyPublic } from "./signed-pre-key-record";
import { X25519_ENCODED_BYTES, X25519PublicKey } from "./x25519";

export const PRE_KEY_BUNDLE_VERSION = 1;

export interface PreKeyBundle {
  readonly identityKey: IdentityKey;
  readonly signedPreKey: SignedPreKeyPublic;
  readonly kyberPreKey: KyberPreKeyPublic;
  readonly preKey?: PreKeyPublic;
}

/**
 * Checks both prekey signatures against the bundle's identity key.
 * @throws {CryptoError} `InvalidSignature` when either does not verify.
 */
export function verifyPreKeyBundle(bundle: PreKeyBundle): void {
  if (!verifySignedPreKey(bundle.identityKey, bundle.signedPreKey)) {
    throw new CryptoError("InvalidSignature", "signed prekey signature does not verify");
  }
  if (!verifyKyberPreKey(bundle.identityKey, bundle.kyberPreKey)) {
    throw new CryptoError("InvalidSignature", "ML-KEM prekey signature does not verify");
  }
}

export function serializePreKeyBundle(bundle: PreKeyBundle): Uint8Array {
  const writer = new ByteWriter(1500)
    .u8(PRE_KEY_BUNDLE_VERSION)
    .bytes(bundle.identityKey.serialize())
    .u32(bundle.signedPreKey.id)
    .bytes(bundle.signedPreKey.publicKey.serialize())
    .bytes(bundle.signedPreKey.signature)
    .u32(bundle.kyberPreKey.id)
    .bytes(bundle.kyberPreKey.publicKey.serialize())
    .bytes(bundle.kyberPreKey.signature);
  if (bundle.preKey) writer.u8(1).u32(bundle.preKey.id).bytes(bundle.preKey.publicKey.serialize());
  else writer.u8(0);
  return writer.finish();
}

/**
 * Parses a bundle (it does not verify it: `verifyPreKeyBundle`, or PQXDH, does).
 * @throws {CryptoError} `InvalidKey` on wrong lengths, version or key encodings.
 */
export function deserializePreKeyBundle(bytes: Uint8Array): PreKeyBundle {
  const reader = new ByteReader(bytes, "InvalidKey");
  reader.version(PRE_KEY_BUNDLE_VERSION);
  const identityKey = IdentityKey.deserialize(reader.bytes(IDENTITY_KEY_ENCODED_BYTES));
  const signedPreKey = {
    id: reader.u32(),
    publicKey: X25519PublicKey.deserialize(reader.bytes(X25519_ENCODED_BYTES)),
    signature: reader.bytes(64),
  };
  const kyberPreKey = {
    id: reader.u32(),
    publicKey: KyberPublicKey.deserialize(reader.bytes(KYBER_PUBLIC_KEY_ENCODED_BYTES)),
    signature: reader.bytes(64),
  };
  const preKey = reader.flag() ? { id: reader.u32(), publicKey: X25519PublicKey.deserialize(reader.bytes(X25519_ENCODED_BYTES)) } : undefined;
  reader.end();
  return preKey ? { identityKey, signedPreKey, kyberPreKey, preKey } : { identityKey, signedPreKey, kyberPreKey };
}
