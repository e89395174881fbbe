/**
 * ML-KEM-768 prekeys, signed by the identity key: one-time ones (deleted after use) and one
 * last-resort key (used when the one-time ones run out, kept until rotated; the store records
 * which handshakes used it so none can be replayed).
 *
 * Serialized: 0x01 ‖ id u32 ‖ kind u8 (0 one-time, 1 last resort) ‖ createdAt u64 ‖ seed 64 ‖
 * signature 64. Signed message: "Hearth_KyberPreKey_v1" ‖ 0x00 ‖ id u32 ‖ 0x0a ‖ public key.
 */
import { assertU32, ByteReader, ByteWriter } from "../bytes";
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";
import type { IdentityKey, IdentityKeyPair } from "./identity-key";
import { KEY_RECORD_VERSION } from "./key-type";
import { KyberKeyPair, type KyberPublicKey } from "./ml-kem";

export const KYBER_PRE_KEY_LABEL = "Hearth_KyberPreKey_v1";

export type KyberPreKeyKind = "oneTime" | "lastResort";

/** What a bundle publishes of an ML-KEM prekey. */
export interface KyberPreKeyPublic {
  readonly id: number;
  readonly publicKey: KyberPublicKey;
  readonly signature: Uint8Array;
}

function idBytes(id: number): Uint8Array {
  return new ByteWriter(4).u32(id).finish();
}

/** True when `signature` is the identity key's signature over this ML-KEM prekey. */
export function verifyKyberPreKey(identityKey: IdentityKey, preKey: KyberPreKeyPublic): boolean {
  return identityKey.verify(preKey.signature, KYBER_PRE_KEY_LABEL, idBytes(preKey.id), preKey.publicKey.serialize());
}

export class KyberPreKeyRecord {
  private constructor(
    readonly id: number,
    readonly kind: KyberPreKeyKind,
    readonly createdAt: number,
    readonly keyPair: KyberKeyPair,
    readonly signature: Uint8Array,
  ) {}

  static generate(options: { id: number; kind: KyberPreKeyKind; identityKeyPair: IdentityKeyPair; now: number; random: RandomSource }): KyberPreKeyRecord {
    assertU32(options.id, "kyber prekey id");
    const keyPair = KyberKeyPair.generate(options.random);
    const signature = options.identityKeyPair.sign(KYBER_PRE_KEY_LABEL, idBytes(options.id), keyPair.publicKey.serialize());
    return new KyberPreKeyRecord(options.id, options.kind, options.now, keyPair, signature);
  }

  /** @throws {CryptoError} `InvalidKey` on a wrong length, version or kind. */
  static deserialize(bytes: Uint8Array): KyberPreKeyRecord {
    const reader = new ByteReader(bytes, "InvalidKey");
    reader.version(KEY_RECORD_VERSION);
    const id = reader.u32();
    const kindByte = reader.u8();
    if (kindByte > 1) throw new CryptoError("InvalidKey", "unknown kyber prekey kind");
    const createdAt = reader.u64();
    const keyPair = KyberKeyPair.fromSeed(reader.bytes(64));
    const signature = reader.bytes(64);
    reader.end();
    return new KyberPreKeyRecord(id, kindByte === 1 ? "lastResort" : "oneTime", createdAt, keyPair, signature);
  }

  serialize(): Uint8Array {
    return new ByteWriter(1 + 4 + 1 + 8 + 64 + 64)
      .u8(KEY_RECORD_VERSION)
      .u32(this.id)
      .u8(this.kind === "lastResort" ? 1 : 0)
      .u64(this.createdAt)
      .bytes(this.keyPair.seed)
      .bytes(this.signature)
      .finish();
  }

  toPublic(): KyberPreKeyPublic {
    return { id: this.id, publicKey: this.keyPair.publicKey, signature: this.signature };
  }
}

/** A batch of `count` one-time ML-KEM prekeys with ids `firstId`, `firstId + 1`, … */
export function generateKyberPreKeys(options: {
  firstId: number;
  count: number;
  identityKeyPair: IdentityKeyPair;
  now: number;
  random: RandomSource;
}): KyberPreKeyRecord[] {
  assertU32(options.firstId + options.count, "last kyber prekey id");
  return Array.from({ length: options.count }, (_, i) => KyberPreKeyRecord.generate({ ...options, id: options.firstId + i, kind: "oneTime" }));
}
