/**
 * The state of one Double Ratchet session (one PQXDH handshake), and its versioned byte format
 * for storage. `double-ratchet.ts` is the only code that changes it.
 *
 * Serialized (all integers big-endian):
 *   0x02 version ‖ flags u8 (1 initiator, 2 sending chain, 4 receiving chain, 8 pending prekey)
 *   ‖ local identity 33 ‖ remote identity 33 ‖ base key 32 ‖ root key 32
 *   ‖ sending ratchet private 32 ‖ public 32 ‖ PN u32
 *   ‖ [sending chain key 32 ‖ N u32] ‖ [receiving ratchet key 32 ‖ chain key 32 ‖ N u32]
 *   ‖ previous receiving chains u8 × (ratchet key 32 ‖ length u32)
 *   ‖ skipped keys u32 × (ratchet key 32 ‖ counter u32 ‖ skipped at u64 (ms) ‖ message key 32)
 *   ‖ [signed prekey id u32 ‖ has one-time prekey u8 ‖ one-time prekey id u32 ‖
 *      ML-KEM prekey id u32 ‖ CT 1088]
 *
 * Version 0x01 (still read) had no skipped-at time; its skipped keys load with
 * `SKIPPED_AT_UNKNOWN` and are stamped with the time of the session's next decryption.
 */
import { concatBytes } from "@noble/hashes/utils.js";
import { ByteReader, ByteWriter } from "../bytes";
import { CryptoError } from "../errors";
import { IDENTITY_KEY_ENCODED_BYTES, IdentityKey } from "../keys/identity-key";
import { ML_KEM_768 } from "../keys/ml-kem";
import { X25519KeyPair, X25519PublicKey } from "../keys/x25519";
import { RATCHET_HEADER_BYTES } from "./ratchet-message";
import { SKIPPED_AT_UNKNOWN, SkippedMessageKeys } from "./skipped-message-keys";

/** 2 adds each skipped key's time; 1 is still read. */
export const SESSION_STATE_VERSION = 2;
const SESSION_STATE_VERSION_WITHOUT_TIMES = 1;
/** Most skipped message keys one message may create in one chain. */
export const MAX_SKIP = 1000;
/** Most skipped message keys a session keeps; the oldest go first. */
export const MAX_SKIPPED_KEYS = 2000;
/**
 * A skipped key is dropped 30 days after it was skipped: the server deletes an undelivered
 * envelope after 30 days, and the skipped message was sent before the later one that made the
 * key, so by then it can no longer arrive (the Double Ratchet specification advises deleting
 * skipped keys after some time).
 */
export const SKIPPED_KEY_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * A skipped key is also dropped once its receiving chain is more than 5 DH ratchet steps old
 * (a sixth newer receiving chain has begun): about libsignal's bound (it keeps 5 receiving
 * chains), and one that holds when the clock is wrong. Messages reach a device in the order the
 * server stored them, so a message more than 5 turns of the conversation late is one that stayed
 * in the sender's outbox. The bound stays below `MAX_PREVIOUS_CHAINS`, so such a message is still
 * recognised and refused as `DuplicatedMessage`.
 */
export const SKIPPED_KEY_MAX_STEPS = 5; /**
 * Finished receiving chains remembered (ratchet public key and length only, no secrets), so a
 * replay into one is recognised as `DuplicatedMessage`; a replay into an older chain fails as
 * `InvalidMessage`. Either way it is refused and changes nothing.
 */
export const MAX_PREVIOUS_CHAINS = 20;

export interface ChainState {
  key: Uint8Array;
  index: number;
}

export interface PreviousChain {
  readonly ratchetKey: Uint8Array;
  readonly length: number;
}

/** The handshake the initiator repeats in every message until the first reply arrives. */
export interface PendingPreKey {
  readonly signedPreKeyId: number;
  readonly preKeyId?: number;
  readonly kyberPreKeyId: number;
  readonly kyberCiphertext: Uint8Array;
}

const FLAG_INITIATOR = 1;
const FLAG_SENDING = 2;
const FLAG_RECEIVING = 4;
const FLAG_PENDING = 8;

export class SessionState {
  /** Identity keys as encoded (0x06 ‖ 32 bytes); decoded on demand. */
  readonly localIdentity: Uint8Array;
  readonly remoteIdentity: Uint8Array;
  readonly isInitiator: boolean;
  /** EK_A: names the PQXDH handshake this session came from. */
  readonly baseKey: Uint8Array;
  rootKey: Uint8Array;
  sendingRatchetKey: X25519KeyPair;
  sendingChain: ChainState | null;
  receivingRatchetKey: Uint8Array | null;
  receivingChain: ChainState | null;
  previousCounter: number;
  previousChains: PreviousChain[];
  readonly skipped: SkippedMessageKeys;
  pendingPreKey: PendingPreKey | null;
  /** AD ‖ room for a header, reused by every message. */
  readonly associatedDataBuffer: Uint8Array;
  private decodedRemoteIdentity: IdentityKey | undefined;

  constructor(fields: {
    localIdentity: Uint8Array;
    remoteIdentity: Uint8Array;
    isInitiator: boolean;
    baseKey: Uint8Array;
    rootKey: Uint8Array;
    sendingRatchetKey: X25519KeyPair;
    sendingChain: ChainState | null;
    receivingRatchetKey: Uint8Array | null;
    receivingChain: ChainState | null;
    previousCounter: number;
    previousChains?: PreviousChain[];
    skipped?: SkippedMessageKeys;
    pendingPreKey: PendingPreKey | null;
  }) {
    this.localIdentity = fields.localIdentity;
    this.remoteIdentity = fields.remoteIdentity;
    this.isInitiator = fields.isInitiator;
    this.baseKey = fields.baseKey;
    this.rootKey = fields.rootKey;
    this.sendingRatchetKey = fields.sendingRatchetKey;
    this.sendingChain = fields.sendingChain;
    this.receivingRatchetKey = fields.receivingRatchetKey;
    this.receivingChain = fields.receivingChain;
    this.previousCounter = fields.previousCounter;
    this.previousChains = fields.previousChains ?? [];
    this.skipped = fields.skipped ?? new SkippedMessageKeys(MAX_SKIPPED_KEYS);
    this.pendingPreKey = fields.pendingPreKey;
    const associatedData = this.isInitiator ? concatBytes(this.localIdentity, this.remoteIdentity) : concatBytes(this.remoteIdentity, this.localIdentity);
    this.associatedDataBuffer = new Uint8Array(associatedData.length + RATCHET_HEADER_BYTES);
    this.associatedDataBuffer.set(associatedData);
  }

  /** AD = Encode(IK_A) ‖ Encode(IK_B). */
  get associatedData(): Uint8Array {
    return this.associatedDataBuffer.subarray(0, 2 * IDENTITY_KEY_ENCODED_BYTES);
  }

  /** AD ‖ header, in the shared buffer (valid until the next message). */
  associatedDataWith(header: Uint8Array): Uint8Array {
    this.associatedDataBuffer.set(header, 2 * IDENTITY_KEY_ENCODED_BYTES);
    return this.associatedDataBuffer;
  }

  /** @throws {CryptoError} `InvalidKey` if the stored key is not valid. */
  remoteIdentityKey(): IdentityKey {
    this.decodedRemoteIdentity ??= IdentityKey.fromStorage(this.remoteIdentity);
    return this.decodedRemoteIdentity;
  }

  serialize(): Uint8Array {
    const flags =
      (this.isInitiator ? FLAG_INITIATOR : 0) |
      (this.sendingChain ? FLAG_SENDING : 0) |
      (this.receivingChain && this.receivingRatchetKey ? FLAG_RECEIVING : 0) |
      (this.pendingPreKey ? FLAG_PENDING : 0);
    const writer = new ByteWriter(512 + this.skipped.size * 76)
      .u8(SESSION_STATE_VERSION)
      .u8(flags)
      .bytes(this.localIdentity)
      .bytes(this.remoteIdentity)
      .bytes(this.baseKey)
      .bytes(this.rootKey)
      .bytes(this.sendingRatchetKey.privateKey)
      .bytes(this.sendingRatchetKey.publicKey.bytes)
      .u32(this.previousCounter);
    if (this.sendingChain) writer.bytes(this.sendingChain.key).u32(this.sendingChain.index);
    if (this.receivingChain && this.receivingRatchetKey) {
      writer.bytes(this.receivingRatchetKey).bytes(this.receivingChain.key).u32(this.receivingChain.index);
    }
    writer.u8(this.previousChains.length);
    for (const chain of this.previousChains) writer.bytes(chain.ratchetKey).u32(chain.length);
    writer.u32(this.skipped.size);
    for (const entry of this.skipped.entries()) {
      writer.bytes(entry.ratchetKey).u32(entry.counter).u64(entry.skippedAt).bytes(entry.messageKey);
    }
    if (this.pendingPreKey) {
      const pending = this.pendingPreKey;
      writer
        .u32(pending.signedPreKeyId)
        .u8(pending.preKeyId === undefined ? 0 : 1)
        .u32(pending.preKeyId ?? 0)
        .u32(pending.kyberPreKeyId)
        .bytes(pending.kyberCiphertext);
    }
    return writer.finish();
  }

  /** @throws {CryptoError} `InvalidSessionRecord` on any malformation; `UnsupportedVersion`. */
  static deserialize(bytes: Uint8Array): SessionState {
    const reader = new ByteReader(bytes, "InvalidSessionRecord");
    const hasTimes = bytes[0] !== SESSION_STATE_VERSION_WITHOUT_TIMES;
    if (hasTimes) reader.version(SESSION_STATE_VERSION);
    else reader.u8();
    const flags = reader.u8();
    if (flags > 15) throw new CryptoError("InvalidSessionRecord", "unknown flags");
    const localIdentity = reader.bytes(IDENTITY_KEY_ENCODED_BYTES);
    const remoteIdentity = reader.bytes(IDENTITY_KEY_ENCODED_BYTES);
    const baseKey = reader.bytes(32);
    const rootKey = reader.bytes(32);
    const sendingPrivate = reader.bytes(32);
    const sendingPublic = X25519PublicKey.fromBytes(reader.bytes(32));
    const previousCounter = reader.u32();
    const sendingChain = flags & FLAG_SENDING ? { key: reader.bytes(32), index: reader.u32() } : null;
    let receivingRatchetKey: Uint8Array | null = null;
    let receivingChain: ChainState | null = null;
    if (flags & FLAG_RECEIVING) {
      receivingRatchetKey = reader.bytes(32);
      receivingChain = { key: reader.bytes(32), index: reader.u32() };
    }
    const previousChains: PreviousChain[] = [];
    const previousCount = reader.u8();
    if (previousCount > MAX_PREVIOUS_CHAINS) throw new CryptoError("InvalidSessionRecord", "too many previous chains");
    for (let i = 0; i < previousCount; i++) previousChains.push({ ratchetKey: reader.bytes(32), length: reader.u32() });
    const skipped = new SkippedMessageKeys(MAX_SKIPPED_KEYS);
    const skippedCount = reader.u32();
    if (skippedCount > MAX_SKIPPED_KEYS) throw new CryptoError("InvalidSessionRecord", "too many skipped keys");
    for (let i = 0; i < skippedCount; i++) {
      const ratchetKey = reader.bytes(32);
      const counter = reader.u32();
      const skippedAt = hasTimes ? reader.u64() : SKIPPED_AT_UNKNOWN;
      skipped.add(ratchetKey, counter, reader.bytes(32), skippedAt);
    }
    let pendingPreKey: PendingPreKey | null = null;
    if (flags & FLAG_PENDING) {
      const signedPreKeyId = reader.u32();
      const hasPreKey = reader.flag();
      const preKeyId = reader.u32();
      const kyberPreKeyId = reader.u32();
      const kyberCiphertext = reader.bytes(ML_KEM_768.ciphertextBytes);
      pendingPreKey = { signedPreKeyId, ...(hasPreKey ? { preKeyId } : {}), kyberPreKeyId, kyberCiphertext };
    }
    reader.end();
    return new SessionState({
      localIdentity,
      remoteIdentity,
      isInitiator: (flags & FLAG_INITIATOR) !== 0,
      baseKey,
      rootKey,
      sendingRatchetKey: X25519KeyPair.fromStored(sendingPrivate, sendingPublic),
      sendingChain,
      receivingRatchetKey,
      receivingChain,
      previousCounter,
      previousChains,
      skipped,
      pendingPreKey,
    });
  }
}
