/** X25519 keys (libsodium `crypto_scalarmult`) for prekeys, ephemeral and ratchet keys. */
import { bytesEqual, isAllZero } from "../bytes";
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";
import { sodium } from "../sodium";
import { KEY_TYPE } from "./key-type";

export const X25519_KEY_BYTES = 32;
export const X25519_ENCODED_BYTES = 33;

/** A public X25519 key; encoded as 0x05 ‖ 32 bytes. */
export class X25519PublicKey {
  private constructor(readonly bytes: Uint8Array) {}

  /** @throws {CryptoError} `InvalidKey` unless 32 bytes. */
  static fromBytes(bytes: Uint8Array): X25519PublicKey {
    if (bytes.length !== X25519_KEY_BYTES) throw new CryptoError("InvalidKey", "X25519 public key must be 32 bytes");
    return new X25519PublicKey(bytes.slice());
  }

  /** @throws {CryptoError} `InvalidKey` unless 0x05 ‖ 32 bytes. */
  static deserialize(encoded: Uint8Array): X25519PublicKey {
    if (encoded.length !== X25519_ENCODED_BYTES || encoded[0] !== KEY_TYPE.x25519) {
      throw new CryptoError("InvalidKey", "not an encoded X25519 public key");
    }
    return new X25519PublicKey(encoded.slice(1));
  }

  serialize(): Uint8Array {
    const out = new Uint8Array(X25519_ENCODED_BYTES);
    out[0] = KEY_TYPE.x25519;
    out.set(this.bytes, 1);
    return out;
  }

  equals(other: X25519PublicKey): boolean {
    return bytesEqual(this.bytes, other.bytes);
  }
}

/** An X25519 key pair. The private key is 32 random bytes (libsodium clamps it when used). */
export class X25519KeyPair {
  private constructor(
    readonly publicKey: X25519PublicKey,
    readonly privateKey: Uint8Array,
  ) {}

  static generate(random: RandomSource): X25519KeyPair {
    return X25519KeyPair.fromPrivateKey(random(X25519_KEY_BYTES));
  }

  /** @throws {CryptoError} `InvalidKey` unless 32 bytes. */
  static fromPrivateKey(privateKey: Uint8Array): X25519KeyPair {
    if (privateKey.length !== X25519_KEY_BYTES) throw new CryptoError("InvalidKey", "X25519 private key must be 32 bytes");
    const publicKey = sodium().crypto_scalarmult_base(privateKey);
    return new X25519KeyPair(X25519PublicKey.fromBytes(publicKey), privateKey.slice());
  }

  /** A pair read back from this device's own storage (the public half is not recomputed). */
  static fromStored(privateKey: Uint8Array, publicKey: X25519PublicKey): X25519KeyPair {
    if (privateKey.length !== X25519_KEY_BYTES) throw new CryptoError("InvalidKey", "X25519 private key must be 32 bytes");
    return new X25519KeyPair(publicKey, privateKey.slice());
  }

  /**
   * DH(this, their).
   * @throws {CryptoError} `InvalidKey` when `their` is of low order (all-zero shared secret).
   */
  agree(their: X25519PublicKey): Uint8Array {
    return x25519(this.privateKey, their.bytes);
  }
}

/**
 * X25519(privateKey, publicKey), refusing the all-zero output that low-order points give.
 * @throws {CryptoError} `InvalidKey` on wrong lengths or a low-order public key.
 */
export function x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (privateKey.length !== X25519_KEY_BYTES || publicKey.length !== X25519_KEY_BYTES) {
    throw new CryptoError("InvalidKey", "X25519 keys must be 32 bytes");
  }
  let shared: Uint8Array;
  try {
    shared = sodium().crypto_scalarmult(privateKey, publicKey);
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    throw new CryptoError("InvalidKey", "X25519 with a low-order public key");
  }
  if (isAllZero(shared)) throw new CryptoError("InvalidKey", "X25519 with a low-order public key");
  return shared;
}
