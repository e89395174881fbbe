// The UI's view of the engine: an immutable snapshot, replaced on every change (so React compares
// it by identity), and the listeners useSyncExternalStore registers.
import { STARTING_SNAPSHOT } from "./starting-snapshot";
import type { ChatSnapshot } from "./types";

export class SnapshotStore {
  private snapshot: ChatSnapshot = STARTING_SNAPSHOT;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ChatSnapshot => this.snapshot;

  /** Replaces the snapshot with `change` applied; an empty change tells listeners that threads changed. */
  update(change: Partial<ChatSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
