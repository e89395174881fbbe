/**
 * One-time prekeys: X25519 keys uploaded in batches, each used by at most one PQXDH handshake
 * and deleted by the responder once that handshake's first message decrypts.
 *
 * Serialized: 0x01 ‖ id u32 ‖ private key 32.
 */
import { assertU32, ByteReader, ByteWriter } from "../bytes";
import type { RandomSource } from "../random";
import { KEY_RECORD_VERSION } from "./key-type";
import { X25519KeyPair, type X25519PublicKey } from "./x25519";

/** What a bundle publishes of a one-time prekey. */
export interface PreKeyPublic {
  readonly id: number;
  readonly publicKey: X25519PublicKey;
}

export class PreKeyRecord {
  private constructor(
    readonly id: number,
    readonly keyPair: X25519KeyPair,
  ) {}

  static generate(options: { id: number; random: RandomSource }): PreKeyRecord {
    assertU32(options.id, "prekey id");
    return new PreKeyRecord(options.id, X25519KeyPair.generate(options.random));
  }

  /** @throws {CryptoError} `InvalidKey` on a wrong length or version. */
  static deserialize(bytes: Uint8Array): PreKeyRecord {
    const reader = new ByteReader(bytes, "InvalidKey");
    reader.version(KEY_RECORD_VERSION);
    const id = reader.u32();
    const keyPair = X25519KeyPair.fromPrivateKey(reader.bytes(32));
    reader.end();
    return new PreKeyRecord(id, keyPair);
  }

  serialize(): Uint8Array {
    return new ByteWriter(37).u8(KEY_RECORD_VERSION).u32(this.id).bytes(this.keyPair.privateKey).finish();
  }

  toPublic(): PreKeyPublic {
    return { id: this.id, publicKey: this.keyPair.publicKey };
  }
}

/** A batch of `count` one-time prekeys with ids `firstId`, `firstId + 1`, … */
export function generatePreKeys(options: { firstId: number; count: number; random: RandomSource }): PreKeyRecord[] {
  assertU32(options.firstId + options.count, "last prekey id");
  return Array.from({ length: options.count }, (_, i) => PreKeyRecord.generate({ id: options.firstId + i, random: options.random }));
}
