/**
 * The signed prekey: an X25519 key signed by the identity key, with an id and a creation time
 * so the device can rotate it weekly (and keep the previous one a while for messages in flight).
 *
 * Serialized: 0x01 ‖ id u32 ‖ createdAt u64 (ms) ‖ private key 32 ‖ signature 64.
 * Signed message: "Hearth_SignedPreKey_v1" ‖ 0x00 ‖ id u32 ‖ 0x05 ‖ public key.
 */
import { ByteReader, ByteWriter } from "../bytes";
import type { RandomSource } from "../random";
import type { IdentityKey, IdentityKeyPair } from "./identity-key";
import { KEY_RECORD_VERSION } from "./key-type";
import { X25519KeyPair, type X25519PublicKey } from "./x25519";

export const SIGNED_PRE_KEY_LABEL = "Hearth_SignedPreKey_v1";
export const SIGNED_PRE_KEY_ROTATION_MS = 7 * 24 * 60 * 60 * 1000;

/** What a bundle publishes of a signed prekey. */
export interface SignedPreKeyPublic {
  readonly id: number;
  readonly publicKey: X25519PublicKey;
  readonly signature: Uint8Array;
}

function idBytes(id: number): Uint8Array {
  return new ByteWriter(4).u32(id).finish();
}

/** True when `signature` is the identity key's signature over this prekey. */
export function verifySignedPreKey(identityKey: IdentityKey, preKey: SignedPreKeyPublic): boolean {
  return identityKey.verify(preKey.signature, SIGNED_PRE_KEY_LABEL, idBytes(preKey.id), preKey.publicKey.serialize());
}

export class SignedPreKeyRecord {
  private constructor(
    readonly id: number,
    readonly createdAt: number,
    readonly keyPair: X25519KeyPair,
    readonly signature: Uint8Array,
  ) {}

  static generate(options: { id: number; identityKeyPair: IdentityKeyPair; now: number; random: RandomSource }): SignedPreKeyRecord {
    const keyPair = X25519KeyPair.generate(options.random);
    const signature = options.identityKeyPair.sign(SIGNED_PRE_KEY_LABEL, idBytes(options.id), keyPair.publicKey.serialize());
    return new SignedPreKeyRecord(options.id, options.now, keyPair, signature);
  }

  /** @throws {CryptoError} `InvalidKey` on a wrong length or version. */
  static deserialize(bytes: Uint8Array): SignedPreKeyRecord {
    const reader = new ByteReader(bytes, "InvalidKey");
    reader.version(KEY_RECORD_VERSION);
    const id = reader.u32();
    const createdAt = reader.u64();
    const keyPair = X25519KeyPair.fromPrivateKey(reader.bytes(32));
    const signature = reader.bytes(64);
    reader.end();
    return new SignedPreKeyRecord(id, createdAt, keyPair, signature);
  }

  serialize(): Uint8Array {
    return new ByteWriter(1 + 4 + 8 + 32 + 64)
      .u8(KEY_RECORD_VERSION)
      .u32(this.id)
      .u64(this.createdAt)
      .bytes(this.keyPair.privateKey)
      .bytes(this.signature)
      .finish();
  }

  toPublic(): SignedPreKeyPublic {
    return { id: this.id, publicKey: this.keyPair.publicKey, signature: this.signature };
  }

  /** True once the key is older than `maxAgeMs` (a week by default) at `now`. */
  needsRotation(now: number, maxAgeMs = SIGNED_PRE_KEY_ROTATION_MS): boolean {
    return now - this.createdAt >= maxAgeMs;
  }
}
