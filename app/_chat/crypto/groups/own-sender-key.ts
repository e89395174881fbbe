/**
 * This device's sending chain in one group: every group message it sends is one SenderKeyMessage,
 * sealed once per recipient device, instead of one pairwise encryption per device. Members learn
 * the chain from its distribution message, sent to each of them over the pairwise session.
 * Forward secrecy within the chain (each message seed is used once; the chain key only moves
 * forward), none against a member: whoever holds the chain key reads every later message, so the
 * engine replaces the chain (a new `OwnSenderKey`, distributed to the remaining members only)
 * whenever someone leaves or is removed, and after a bounded number of messages or a bounded time.
 *
 * Stored as: 0x01 ‖ group id (16) ‖ distribution id (16) ‖ iteration u32 ‖ chain key (32)
 *            ‖ signing key seed (32)                                                     101 bytes
 */
import { ByteReader, ByteWriter, wipe } from "../bytes";
import { CryptoError } from "../errors";
import type { RandomSource } from "../random";
import { bytesToUuid, UUID_BYTES, uuidToBytes } from "../devices/uuid";
import { senderChainStep, SIGNING_SEED_BYTES, signingKeyPairFromSeed, writeSenderKeyMessage, type SigningKeyPair } from "./sender-chain";
import { DISTRIBUTION_ID_BYTES, MAX_SENDER_KEY_ITERATION, SENDER_CHAIN_KEY_BYTES, serializeSenderKeyDistribution } from "./sender-key-message";

const OWN_SENDER_KEY_VERSION = 1;

export class OwnSenderKey {
  /** The group's UUID, lowercase. */
  readonly groupId: string;
  /** 16 random bytes, written in UUID form (lowercase; not an RFC 9562 UUID: no version bits). */
  readonly distributionId: string;
  private readonly signing: SigningKeyPair;

  private constructor(
    private readonly groupIdBytes: Uint8Array,
    private readonly distributionIdBytes: Uint8Array,
    private nextIteration: number,
    private chainKey: Uint8Array,
    private readonly signingSeed: Uint8Array,
  ) {
    this.groupId = bytesToUuid(groupIdBytes);
    this.distributionId = bytesToUuid(distributionIdBytes);
    this.signing = signingKeyPairFromSeed(signingSeed);
  }

  /**
   * A new chain at iteration 0: a random distribution id, chain key and signing key.
   * @throws {RangeError} when `groupId` is not a UUID.
   */
  static create(groupId: string, random: RandomSource): OwnSenderKey {
    return new OwnSenderKey(uuidToBytes(groupId, "group id"), random(DISTRIBUTION_ID_BYTES), 0, random(SENDER_CHAIN_KEY_BYTES), random(SIGNING_SEED_BYTES));
  }

  /** The iteration the next message will carry. */
  get iteration(): number {
    return this.nextIteration;
  }

  /**
   * The SenderKeyDistributionMessage at the current iteration: it lets its holder read this
   * chain's messages from the next one on (not earlier ones). Send it only inside a pairwise session.
   */
  distributionMessage(): Uint8Array {
    return serializeSenderKeyDistribution({
      groupId: this.groupIdBytes,
      distributionId: this.distributionIdBytes,
      iteration: this.nextIteration,
      chainKey: this.chainKey,
      signingKey: this.signing.publicKey,
    });
  }

  /**
   * Encrypts and signs one group message, and advances the chain. Store the advanced key before
   * the message leaves (see `sender-chain.ts`).
   * @throws {CryptoError} `NoSenderKey` when the chain is exhausted (2^32 − 1 messages): make a new one.
   */
  encrypt(plaintext: Uint8Array): Uint8Array {
    if (this.nextIteration > MAX_SENDER_KEY_ITERATION) throw new CryptoError("NoSenderKey", "sending chain exhausted");
    const { messageSeed, nextChainKey } = senderChainStep(this.chainKey);
    const message = writeSenderKeyMessage(
      { groupId: this.groupIdBytes, distributionId: this.distributionIdBytes, iteration: this.nextIteration },
      messageSeed,
      this.signing,
      plaintext,
    );
    wipe(messageSeed, this.chainKey);
    this.chainKey = nextChainKey;
    this.nextIteration += 1;
    return message;
  }

  serialize(): Uint8Array {
    return new ByteWriter(1 + UUID_BYTES + DISTRIBUTION_ID_BYTES + 4 + SENDER_CHAIN_KEY_BYTES + SIGNING_SEED_BYTES)
      .u8(OWN_SENDER_KEY_VERSION)
      .bytes(this.groupIdBytes)
      .bytes(this.distributionIdBytes)
      .u32(this.nextIteration)
      .bytes(this.chainKey)
      .bytes(this.signingSeed)
      .finish();
  }

  /**
   * @throws {CryptoError} `InvalidSenderKeyRecord` when it does not parse; `UnsupportedVersion` when newer.
   */
  static deserialize(bytes: Uint8Array): OwnSenderKey {
    const reader = new ByteReader(bytes, "InvalidSenderKeyRecord");
    reader.version(OWN_SENDER_KEY_VERSION);
    const groupId = reader.bytes(UUID_BYTES);
    const distributionId = reader.bytes(DISTRIBUTION_ID_BYTES);
    const iteration = reader.u32();
    const chainKey = reader.bytes(SENDER_CHAIN_KEY_BYTES);
    const signingSeed = reader.bytes(SIGNING_SEED_BYTES);
    reader.end();
    return new OwnSenderKey(groupId, distributionId, iteration, chainKey, signingSeed);
  }
}
