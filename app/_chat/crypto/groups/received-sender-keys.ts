/**
 * The sender-key chains this device received from one sender device in one group: the caller
 * keeps one `ReceivedSenderKeys` per (group, sender device), and feeds it only distribution
 * messages that came over that device's pairwise session and sender-key messages whose sealed
 * envelope that device signed. Distribution ids are then never shared between senders, and a
 * member who knows a chain key still cannot write into it: every message is signed with the
 * chain's own signing key, checked before anything else.
 *
 * Invariants: at most `MAX_SENDER_KEY_CHAINS` chains, those of the newest distributions; a
 * chain only moves forward (a distribution older than the chain's position is ignored, so a
 * replayed one cannot make read messages readable again); skipped message seeds are bounded per
 * message (`MAX_SENDER_KEY_FORWARD_JUMP`) and per chain (`MAX_SKIPPED_SENDER_KEYS`, oldest
 * dropped), each used once; a decryption that fails changes nothing: new seeds are computed
 * aside and committed only after the signature and the tag verify.
 *
 * Stored as (all integers big-endian):
 *   0x01 ‖ group id (16) ‖ chain count u8 (≤ 5), newest first ×
 *     (distribution id (16) ‖ next iteration u32 ‖ chain key (32) ‖ signing public key (32)
 *      ‖ skipped count u16 (≤ 2000) ‖ skipped × (iteration u32 ‖ message seed (32)), oldest first)
 */
import { ByteReader, ByteWriter, bytesEqual, wipe } from "../bytes";
import { CryptoError } from "../errors";
import { bytesToUuid, UUID_BYTES, uuidToBytes } from "../devices/uuid";
import { isValidSigningKey, openSenderKeyCiphertext, senderChainStep, verifySenderKeySignature } from "./sender-chain";
import {
  DISTRIBUTION_ID_BYTES,
  parseSenderKeyDistribution,
  parseSenderKeyMessage,
  SENDER_CHAIN_KEY_BYTES,
  SIGNING_PUBLIC_KEY_BYTES,
  type ParsedSenderKeyMessage,
} from "./sender-key-message";

/** Chains kept per sender device: the current one and a few before it, for messages still in flight. */
export const MAX_SENDER_KEY_CHAINS = 5;
/** Most message seeds one message may skip in its chain (its iteration minus the chain's next one). */
export const MAX_SENDER_KEY_FORWARD_JUMP = 2000;
/** Most skipped message seeds a chain keeps; the oldest go first. */
export const MAX_SKIPPED_SENDER_KEYS = 2000;
const RECEIVED_SENDER_KEYS_VERSION = 1;

interface ReceivedChain {
  readonly distributionId: Uint8Array;
  /** The iteration the chain key is at: the lowest one not yet read nor skipped. */
  iteration: number;
  chainKey: Uint8Array;
  readonly signingKey: Uint8Array;
  /** Iteration → message seed, in insertion order (ascending iterations), so the first is the oldest. */
  readonly skipped: Map<number, Uint8Array>;
}

function wipeChain(chain: ReceivedChain): void {
  wipe(chain.chainKey, ...chain.skipped.values());
  chain.skipped.clear();
}

export class ReceivedSenderKeys {
  /** The group's UUID, lowercase. */
  readonly groupId: string;

  private constructor(
    private readonly groupIdBytes: Uint8Array,
    /** Newest distribution first. */
    private readonly chains: ReceivedChain[],
  ) {
    this.groupId = bytesToUuid(groupIdBytes);
  }

  /** @throws {RangeError} when `groupId` is not a UUID. */
  static empty(groupId: string): ReceivedSenderKeys {
    return new ReceivedSenderKeys(uuidToBytes(groupId, "group id"), []);
  }

  /**
   * Takes a SenderKeyDistributionMessage (from the pairwise session of this record's sender).
   * A new chain becomes the newest, and the oldest beyond `MAX_SENDER_KEY_CHAINS` is dropped. A
   * distribution of a chain already kept replaces it only when it starts at or after the chain's
   * position (a sender re-sending its chain to fix a stuck member); an older one is ignored.
   * The replaced chain's skipped seeds stay when the signing key is the same.
   * @throws {CryptoError} `InvalidMessage` when it does not parse, is for another group, or its
   *   signing key is not a valid Ed25519 point; `UnsupportedVersion` when newer.
   */
  process(distribution: Uint8Array): void {
    const parsed = parseSenderKeyDistribution(distribution);
    if (!bytesEqual(parsed.groupId, this.groupIdBytes)) throw new CryptoError("InvalidMessage", "distribution for another group");
    if (!isValidSigningKey(parsed.signingKey)) throw new CryptoError("InvalidMessage", "invalid signing key");
    const index = this.chains.findIndex((chain) => bytesEqual(chain.distributionId, parsed.distributionId));
    const stored = this.chains[index];
    if (stored && parsed.iteration < stored.iteration) return;

    let skipped = new Map<number, Uint8Array>();
    if (stored) {
      this.chains.splice(index, 1);
      if (bytesEqual(stored.signingKey, parsed.signingKey)) {
        skipped = stored.skipped;
        wipe(stored.chainKey);
      } else {
        wipeChain(stored);
      }
    }
    this.chains.unshift({
      distributionId: parsed.distributionId,
      iteration: parsed.iteration,
      chainKey: parsed.chainKey,
      signingKey: parsed.signingKey,
      skipped,
    });
    while (this.chains.length > MAX_SENDER_KEY_CHAINS) wipeChain(this.chains.pop()!);
  }

  /**
   * Verifies and decrypts one SenderKeyMessage. On any failure the state is unchanged.
   * @throws {CryptoError} `InvalidMessage` (malformed, for another group, bad signature, fails
   *   authentication), `NoSenderKey` (a chain this record does not have: never distributed to
   *   this device, or dropped), `DuplicatedMessage` (already read, or its skipped seed was
   *   dropped), `TooManySkippedMessages` (more than `MAX_SENDER_KEY_FORWARD_JUMP` ahead),
   *   `UnsupportedVersion`.
   */
  decrypt(message: Uint8Array): Uint8Array {
    const parsed = parseSenderKeyMessage(message);
    if (!bytesEqual(parsed.groupId, this.groupIdBytes)) throw new CryptoError("InvalidMessage", "message for another group");
    const chain = this.chains.find((candidate) => bytesEqual(candidate.distributionId, parsed.distributionId));
    if (!chain) throw new CryptoError("NoSenderKey");
    if (!verifySenderKeySignature(parsed, chain.signingKey)) throw new CryptoError("InvalidMessage", "signature does not verify");
    return parsed.iteration < chain.iteration ? decryptSkipped(chain, parsed) : decryptAhead(chain, parsed);
  }

  serialize(): Uint8Array {
    const writer = new ByteWriter(1 + UUID_BYTES + 1 + this.chains.length * 128);
    writer.u8(RECEIVED_SENDER_KEYS_VERSION).bytes(this.groupIdBytes).u8(this.chains.length);
    for (const chain of this.chains) {
      writer.bytes(chain.distributionId).u32(chain.iteration).bytes(chain.chainKey).bytes(chain.signingKey).u16(chain.skipped.size);
      for (const [iteration, seed] of chain.skipped) writer.u32(iteration).bytes(seed);
    }
    return writer.finish();
  }

  /**
   * @throws {CryptoError} `InvalidSenderKeyRecord` when it does not parse or breaks a bound;
   *   `UnsupportedVersion` when newer.
   */
  static deserialize(bytes: Uint8Array): ReceivedSenderKeys {
    const reader = new ByteReader(bytes, "InvalidSenderKeyRecord");
    reader.version(RECEIVED_SENDER_KEYS_VERSION);
    const groupId = reader.bytes(UUID_BYTES);
    const count = reader.u8();
    if (count > MAX_SENDER_KEY_CHAINS) throw new CryptoError("InvalidSenderKeyRecord", "too many chains");
    const chains: ReceivedChain[] = [];
    for (let i = 0; i < count; i++) {
      const distributionId = reader.bytes(DISTRIBUTION_ID_BYTES);
      if (chains.some((chain) => bytesEqual(chain.distributionId, distributionId))) throw new CryptoError("InvalidSenderKeyRecord", "repeated chain");
      const iteration = reader.u32();
      const chainKey = reader.bytes(SENDER_CHAIN_KEY_BYTES);
      const signingKey = reader.bytes(SIGNING_PUBLIC_KEY_BYTES);
      const skippedCount = reader.u16();
      if (skippedCount > MAX_SKIPPED_SENDER_KEYS) throw new CryptoError("InvalidSenderKeyRecord", "too many skipped keys");
      const skipped = new Map<number, Uint8Array>();
      let previous = -1;
      for (let j = 0; j < skippedCount; j++) {
        const skippedIteration = reader.u32();
        if (skippedIteration <= previous || skippedIteration >= iteration) throw new CryptoError("InvalidSenderKeyRecord", "skipped keys out of order");
        skipped.set(skippedIteration, reader.bytes(SENDER_CHAIN_KEY_BYTES));
        previous = skippedIteration;
      }
      chains.push({ distributionId, iteration, chainKey, signingKey, skipped });
    }
    reader.end();
    return new ReceivedSenderKeys(groupId, chains);
  }
}

function decryptSkipped(chain: ReceivedChain, message: ParsedSenderKeyMessage): Uint8Array {
  const seed = chain.skipped.get(message.iteration);
  if (!seed) throw new CryptoError("DuplicatedMessage");
  const plaintext = openSenderKeyCiphertext(message, seed);
  chain.skipped.delete(message.iteration);
  wipe(seed);
  return plaintext;
}

function decryptAhead(chain: ReceivedChain, message: ParsedSenderKeyMessage): Uint8Array {
  const jump = message.iteration - chain.iteration;
  if (jump > MAX_SENDER_KEY_FORWARD_JUMP) throw new CryptoError("TooManySkippedMessages");
  const seeds: Uint8Array[] = [];
  let chainKey = chain.chainKey;
  for (let i = 0; i <= jump; i++) {
    const step = senderChainStep(chainKey);
    if (chainKey !== chain.chainKey) wipe(chainKey);
    seeds.push(step.messageSeed);
    chainKey = step.nextChainKey;
  }
  const seed = seeds.pop()!;
  let plaintext: Uint8Array;
  try {
    plaintext = openSenderKeyCiphertext(message, seed);
  } catch (error) {
    wipe(chainKey, ...seeds);
    throw error;
  } finally {
    wipe(seed);
  }
  seeds.forEach((skippedSeed, i) => chain.skipped.set(chain.iteration + i, skippedSeed));
  while (chain.skipped.size > MAX_SKIPPED_SENDER_KEYS) {
    const oldest = chain.skipped.keys().next().value as number;
    wipe(chain.skipped.get(oldest));
    chain.skipped.delete(oldest);
  }
  wipe(chain.chainKey);
  chain.chainKey = chainKey;
  chain.iteration = message.iteration + 1;
  return plaintext;
}
