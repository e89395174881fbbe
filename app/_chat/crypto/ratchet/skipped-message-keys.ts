/**
 * Message keys of messages not yet received (skipped when a later one arrived first), keyed by
 * (ratchet public key, counter). Bounded: a whole session keeps at most `maxKeys`, evicting the
 * oldest first; each key is deleted when its message arrives.
 */
import { toHex, wipe } from "../bytes";

export interface SkippedMessageKey {
  readonly ratchetKey: Uint8Array;
  readonly counter: number;
  readonly messageKey: Uint8Array;
}

export class SkippedMessageKeys {
  /** Insertion-ordered, so the first entry is the oldest. */
  private readonly keys = new Map<string, SkippedMessageKey>();

  constructor(readonly maxKeys: number) {}

  private static id(ratchetKey: Uint8Array, counter: number): string {
    return `${toHex(ratchetKey)}:${counter}`;
  }

  get size(): number {
    return this.keys.size;
  }

  get(ratchetKey: Uint8Array, counter: number): Uint8Array | undefined {
    if (this.keys.size === 0) return undefined;
    return this.keys.get(SkippedMessageKeys.id(ratchetKey, counter))?.messageKey;
  }

  /** Deletes and wipes the key. */
  delete(ratchetKey: Uint8Array, counter: number): void {
    const id = SkippedMessageKeys.id(ratchetKey, counter);
    const entry = this.keys.get(id);
    if (!entry) return;
    wipe(entry.messageKey);
    this.keys.delete(id);
  }

  add(ratchetKey: Uint8Array, counter: number, messageKey: Uint8Array): void {
    this.keys.set(SkippedMessageKeys.id(ratchetKey, counter), { ratchetKey: ratchetKey.slice(), counter, messageKey });
    while (this.keys.size > this.maxKeys) {
      const oldest = this.keys.keys().next().value as string;
      wipe(this.keys.get(oldest)?.messageKey);
      this.keys.delete(oldest);
    }
  }

  /** Oldest first. */
  entries(): IterableIterator<SkippedMessageKey> {
    return this.keys.values();
  }
}
