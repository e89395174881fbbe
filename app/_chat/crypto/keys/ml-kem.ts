/**
 * ML-KEM-768 (FIPS 203) from @noble/post-quantum: libsodium 1.0.22's own ML-KEM accepts
 * corrupted decapsulation keys, noble's passes those Wycheproof vectors. A private key is kept
 * as its 64-byte seed (d ‖ z), so a stored decapsulation key is always well formed.
 */
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import { bytesEqual } from "../bytes";
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";
import { KEY_TYPE } from "./key-type";

export const ML_KEM_768 = {
  publicKeyBytes: 1184,
  ciphertextBytes: 1088,
  seedBytes: 64,
  sharedSecretBytes: 32,
} as const;

export const KYBER_PUBLIC_KEY_ENCODED_BYTES = 1 + ML_KEM_768.publicKeyBytes;
const Q = 3329;

/** FIPS 203 §7.2 input check: every 12-bit coefficient of the encapsulation key is below q. */
function hasValidModulus(publicKey: Uint8Array): boolean {
  const polyBytes = ML_KEM_768.publicKeyBytes - 32;
  for (let i = 0; i < polyBytes; i += 3) {
    const b0 = publicKey[i]!;
    const b1 = publicKey[i + 1]!;
    const b2 = publicKey[i + 2]!;
    if ((b0 | ((b1 & 0x0f) << 8)) >= Q || ((b1 >> 4) | (b2 << 4)) >= Q) return false;
  }
  return true;
}

/** An ML-KEM-768 encapsulation key; encoded as 0x0a ‖ 1184 bytes. */
export class KyberPublicKey {
  private constructor(readonly bytes: Uint8Array) {}

  /** @throws {CryptoError} `InvalidKey` on a wrong length or a coefficient ≥ q. */
  static fromBytes(bytes: Uint8Array): KyberPublicKey {
    if (bytes.length !== ML_KEM_768.publicKeyBytes || !hasValidModulus(bytes)) {
      throw new CryptoError("InvalidKey", "invalid ML-KEM-768 public key");
    }
    return new KyberPublicKey(bytes.slice());
  }

  /** @throws {CryptoError} `InvalidKey` unless 0x0a ‖ a valid 1184-byte key. */
  static deserialize(encoded: Uint8Array): KyberPublicKey {
    if (encoded.length !== KYBER_PUBLIC_KEY_ENCODED_BYTES || encoded[0] !== KEY_TYPE.mlKem768) {
      throw new CryptoError("InvalidKey", "not an encoded ML-KEM-768 public key");
    }
    return KyberPublicKey.fromBytes(encoded.subarray(1));
  }

  serialize(): Uint8Array {
    const out = new Uint8Array(KYBER_PUBLIC_KEY_ENCODED_BYTES);
    out[0] = KEY_TYPE.mlKem768;
    out.set(this.bytes, 1);
    return out;
  }

  equals(other: KyberPublicKey): boolean {
    return bytesEqual(this.bytes, other.bytes);
  }

  /** (CT, SS) = ML-KEM-768.Encaps(this), with 32 bytes of `random`. */
  encapsulate(random: RandomSource): { ciphertext: Uint8Array; sharedSecret: Uint8Array } {
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(this.bytes, random(32));
    return { ciphertext: cipherText, sharedSecret };
  }
}

/** An ML-KEM-768 key pair, derived from (and stored as) its 64-byte seed. */
export class KyberKeyPair {
  private constructor(
    readonly seed: Uint8Array,
    readonly publicKey: KyberPublicKey,
    private readonly secretKey: Uint8Array,
  ) {}

  static generate(random: RandomSource): KyberKeyPair {
    return KyberKeyPair.fromSeed(random(ML_KEM_768.seedBytes));
  }

  /** @throws {CryptoError} `InvalidKey` unless 64 bytes. */
  static fromSeed(seed: Uint8Array): KyberKeyPair {
    if (seed.length !== ML_KEM_768.seedBytes) throw new CryptoError("InvalidKey", "ML-KEM seed must be 64 bytes");
    const { publicKey, secretKey } = ml_kem768.keygen(seed);
    return new KyberKeyPair(seed.slice(), KyberPublicKey.fromBytes(publicKey), secretKey);
  }

  /**
   * SS = ML-KEM-768.Decaps(ciphertext). A wrong ciphertext yields an unrelated secret (implicit
   * rejection), so the failure shows up when the derived key does not authenticate.
   * @throws {CryptoError} `InvalidMessage` on a wrong ciphertext length.
   */
  decapsulate(ciphertext: Uint8Array): Uint8Array {
    if (ciphertext.length !== ML_KEM_768.ciphertextBytes) throw new CryptoError("InvalidMessage", "wrong ML-KEM ciphertext length");
    return ml_kem768.decapsulate(ciphertext, this.secretKey);
  }
}
