/**
 * Identity keys: one Ed25519 key pair per device, and one per account that only signs the device
 * list (`devices/device-list.ts`). A device key signs (prekeys, sealed-sender content) as
 * Ed25519, and takes part in PQXDH's Diffie-Hellman through its birationally equivalent X25519
 * form (libsodium `crypto_sign_ed25519_{pk,sk}_to_curve25519`). Signal instead keeps an X25519
 * identity key and signs with XEdDSA; libsodium has no XEdDSA, and converting Ed25519 → X25519
 * is the other standard way to use one key for both (see docs/e2ee-protocol.md, "Keys").
 *
 * Every signature made with an identity key starts with a label naming its purpose, so no
 * signature made for one purpose verifies for another.
 */
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { bytesEqual, wipe } from "../bytes";
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";
import { sodium } from "../sodium";
import { KEY_RECORD_VERSION, KEY_TYPE } from "./key-type";
import { x25519, type X25519PublicKey } from "./x25519";

export const IDENTITY_KEY_ENCODED_BYTES = 33;
const SEED_BYTES = 32;
const SIGNATURE_BYTES = 64;

/**
 * X25519 forms of Ed25519 public keys seen lately, by key. The conversion (a field square root,
 * about 100 µs in WebAssembly) is also the check that a key is valid, and every sealed message
 * needs it twice: for the recipient's key, read back from the session, and for the sender's, read
 * from the envelope. Public values of a deterministic function: a cache changes nothing but time.
 */
const x25519Forms = new Map<string, Uint8Array>();
const X25519_FORMS_KEPT = 1024;

/** libsodium refuses small-order points, encodings that are not points, and points outside the prime-order subgroup. */
function toX25519(publicKey: Uint8Array): Uint8Array {
  const id = bytesToHex(publicKey);
  const known = x25519Forms.get(id);
  if (known) return known;
  let form: Uint8Array;
  try {
    form = sodium().crypto_sign_ed25519_pk_to_curve25519(publicKey);
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    throw new CryptoError("InvalidKey", "invalid Ed25519 public key");
  }
  if (x25519Forms.size >= X25519_FORMS_KEPT) x25519Forms.delete(x25519Forms.keys().next().value!);
  x25519Forms.set(id, form);
  return form;
}

/** The message an identity key signs for `label`: label ‖ 0x00 ‖ parts. */
export function labeledMessage(label: string, ...parts: readonly Uint8Array[]): Uint8Array {
  return concatBytes(utf8ToBytes(label), Uint8Array.of(0), ...parts);
}

/** A public identity key; encoded as 0x06 ‖ Ed25519 public key. */
export class IdentityKey {
  private constructor(
    readonly publicKey: Uint8Array,
    private x25519Form: Uint8Array | undefined,
  ) {}

  /**
   * The X25519 form, for DH.
   * @throws {CryptoError} `InvalidKey` for a key read from storage that turns out invalid.
   */
  get dhPublicKey(): Uint8Array {
    this.x25519Form ??= toX25519(this.publicKey);
    return this.x25519Form;
  }

  /**
   * A key this device validated before and stored (in a session): only the encoding is checked
   * now, the point when it is first used for DH. Saves the Ed25519 → X25519 conversion (a field
   * square root) on every message.
   * @throws {CryptoError} `InvalidKey` unless 0x06 ‖ 32 bytes.
   */
  static fromStorage(encoded: Uint8Array): IdentityKey {
    if (encoded.length !== IDENTITY_KEY_ENCODED_BYTES || encoded[0] !== KEY_TYPE.ed25519) {
      throw new CryptoError("InvalidKey", "not an encoded identity key");
    }
    return new IdentityKey(encoded.slice(1), undefined);
  }

  /**
   * @throws {CryptoError} `InvalidKey` unless 0x06 ‖ 32 bytes of a valid Ed25519 point of prime order.
   */
  static deserialize(encoded: Uint8Array): IdentityKey {
    if (encoded.length !== IDENTITY_KEY_ENCODED_BYTES || encoded[0] !== KEY_TYPE.ed25519) {
      throw new CryptoError("InvalidKey", "not an encoded identity key");
    }
    return IdentityKey.fromPublicKey(encoded.slice(1));
  }

  /** @throws {CryptoError} `InvalidKey` for a point libsodium refuses (small order, off the curve). */
  static fromPublicKey(publicKey: Uint8Array): IdentityKey {
    if (publicKey.length !== 32) throw new CryptoError("InvalidKey", "Ed25519 public key must be 32 bytes");
    return new IdentityKey(publicKey.slice(), toX25519(publicKey));
  }

  serialize(): Uint8Array {
    const out = new Uint8Array(IDENTITY_KEY_ENCODED_BYTES);
    out[0] = KEY_TYPE.ed25519;
    out.set(this.publicKey, 1);
    return out;
  }

  /** Verifies an Ed25519 signature over `labeledMessage(label, ...parts)`. */
  verify(signature: Uint8Array, label: string, ...parts: readonly Uint8Array[]): boolean {
    if (signature.length !== SIGNATURE_BYTES) return false;
    try {
      return sodium().crypto_sign_verify_detached(signature, labeledMessage(label, ...parts), this.publicKey);
    } catch (error) {
      if (error instanceof CryptoError) throw error;
      return false;
    }
  }

  equals(other: IdentityKey): boolean {
    return bytesEqual(this.publicKey, other.publicKey);
  }
}

/** Peers whose static DH result an identity key pair keeps (a few hundred bytes each at most). */
const STATIC_SECRETS_KEPT = 512;

/** A device's (or an account's) identity key pair; serialized as version 0x01 ‖ 32-byte Ed25519 seed. */
export class IdentityKeyPair {
  private readonly staticSecrets = new Map<string, Uint8Array>();

  private constructor(
    readonly identityKey: IdentityKey,
    private readonly seed: Uint8Array,
    private readonly signingKey: Uint8Array,
    private readonly dhPrivateKey: Uint8Array,
  ) {}

  static generate(random: RandomSource): IdentityKeyPair {
    return IdentityKeyPair.fromSeed(random(SEED_BYTES));
  }

  private static fromSeed(seed: Uint8Array): IdentityKeyPair {
    const na = sodium();
    const { publicKey, privateKey } = na.crypto_sign_seed_keypair(seed);
    const dhPrivateKey = na.crypto_sign_ed25519_sk_to_curve25519(privateKey);
    return new IdentityKeyPair(IdentityKey.fromPublicKey(publicKey), seed.slice(), privateKey, dhPrivateKey);
  }

  /** @throws {CryptoError} `InvalidKey` on a wrong length or version. */
  static deserialize(bytes: Uint8Array): IdentityKeyPair {
    if (bytes.length !== 1 + SEED_BYTES || bytes[0] !== KEY_RECORD_VERSION) {
      throw new CryptoError("InvalidKey", "not a serialized identity key pair");
    }
    return IdentityKeyPair.fromSeed(bytes.subarray(1));
  }

  serialize(): Uint8Array {
    const out = new Uint8Array(1 + SEED_BYTES);
    out[0] = KEY_RECORD_VERSION;
    out.set(this.seed, 1);
    return out;
  }

  /** Ed25519 signature over `labeledMessage(label, ...parts)`. */
  sign(label: string, ...parts: readonly Uint8Array[]): Uint8Array {
    return sodium().crypto_sign_detached(labeledMessage(label, ...parts), this.signingKey);
  }

  /**
   * DH between this identity and another identity key, as a copy. It is the same for every message
   * between two devices (sealed sender's sender authentication), so it is computed once and kept
   * while this key pair is loaded, for the STATIC_SECRETS_KEPT peers used last.
   * @throws {CryptoError} `InvalidKey` for an invalid key.
   */
  staticSecretWith(their: IdentityKey): Uint8Array {
    const id = bytesToHex(their.publicKey);
    let secret = this.staticSecrets.get(id);
    if (secret) {
      // Most recently used last, so the first one is the one to drop.
      this.staticSecrets.delete(id);
    } else {
      secret = this.agree(their);
      if (this.staticSecrets.size >= STATIC_SECRETS_KEPT) {
        const [oldestId, oldest] = this.staticSecrets.entries().next().value!;
        wipe(oldest);
        this.staticSecrets.delete(oldestId);
      }
    }
    this.staticSecrets.set(id, secret);
    return secret.slice();
  }

  /**
   * DH between this identity's X25519 form and `their` X25519 key.
   * @throws {CryptoError} `InvalidKey` for a low-order key.
   */
  agree(their: X25519PublicKey | IdentityKey): Uint8Array {
    return x25519(this.dhPrivateKey, their instanceof IdentityKey ? their.dhPublicKey : their.bytes);
  }
}
