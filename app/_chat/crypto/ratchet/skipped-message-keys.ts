/**
 * Message keys of messages not yet received (skipped when a later one arrived first), keyed by
 * (ratchet public key, counter), each with the time it was skipped. Bounded: a whole session keeps
 * at most `maxKeys`, evicting the oldest first; each key is deleted when its message arrives, and
 * `prune` drops the keys that have expired (by age, or because their chain is too many DH ratchet
 * steps old; `double-ratchet.ts` decides which chains still count).
 */
import { bytesToHex } from "@noble/hashes/utils.js";
import { wipe } from "../bytes";

/** `skippedAt` of a key loaded from a stored state that had no times (session state version 1). */
export const SKIPPED_AT_UNKNOWN = 0;

export interface SkippedMessageKey {
  readonly ratchetKey: Uint8Array;
  readonly counter: number;
  /** Milliseconds since the epoch; `SKIPPED_AT_UNKNOWN` until the next `prune` stamps it. */
  skippedAt: number;
  readonly messageKey: Uint8Array;
}

export class SkippedMessageKeys {
  /** Insertion-ordered, so the first entry is the oldest. */
  private readonly keys = new Map<string, SkippedMessageKey>();

  constructor(readonly maxKeys: number) {}

  private static id(ratchetKey: Uint8Array, counter: number): string {
    return `${bytesToHex(ratchetKey)}:${counter}`;
  }

  get size(): number {
    return this.keys.size;
  }

  /** The key, unless there is none or it is older than `maxAgeMs` at `now`. */
  get(ratchetKey: Uint8Array, counter: number, now: number, maxAgeMs: number): Uint8Array | undefined {
    if (this.keys.size === 0) return undefined;
    const entry = this.keys.get(SkippedMessageKeys.id(ratchetKey, counter));
    return entry && !isExpired(entry, now, maxAgeMs) ? entry.messageKey : undefined;
  }

  /** Deletes and wipes the key. */
  delete(ratchetKey: Uint8Array, counter: number): void {
    const id = SkippedMessageKeys.id(ratchetKey, counter);
    const entry = this.keys.get(id);
    if (!entry) return;
    wipe(entry.messageKey);
    this.keys.delete(id);
  }

  add(ratchetKey: Uint8Array, counter: number, messageKey: Uint8Array, skippedAt: number): void {
    this.keys.set(SkippedMessageKeys.id(ratchetKey, counter), { ratchetKey: ratchetKey.slice(), counter, skippedAt, messageKey });
    while (this.keys.size > this.maxKeys) {
      const oldest = this.keys.keys().next().value as string;
      wipe(this.keys.get(oldest)?.messageKey);
      this.keys.delete(oldest);
    }
  }

  /**
   * Deletes and wipes every key older than `maxAgeMs` at `now`, or of a chain `keepChain` (when
   * given) refuses, and stamps keys of unknown age with `now` (so they expire `maxAgeMs` after it).
   */
  prune(now: number, maxAgeMs: number, keepChain?: (ratchetKey: Uint8Array) => boolean): void {
    for (const [id, entry] of this.keys) {
      if (isExpired(entry, now, maxAgeMs) || (keepChain && !keepChain(entry.ratchetKey))) {
        wipe(entry.messageKey);
        this.keys.delete(id);
      } else if (entry.skippedAt === SKIPPED_AT_UNKNOWN) {
        entry.skippedAt = now;
      }
    }
  }

  /** Oldest first. */
  entries(): IterableIterator<SkippedMessageKey> {
    return this.keys.values();
  }
}

function isExpired(entry: SkippedMessageKey, now: number, maxAgeMs: number): boolean {
  return entry.skippedAt !== SKIPPED_AT_UNKNOWN && now - entry.skippedAt > maxAgeMs;
}
