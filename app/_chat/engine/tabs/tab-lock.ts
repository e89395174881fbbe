// The person's one-owner lock across the tabs of this browser. An interface, so tests share an
// in-memory one between their "tabs".
export interface TabLock {
  /** Takes the lock if free: resolves to its release, or null when another tab holds it. */
  take(name: string): Promise<(() => void) | null>;
  /** Waits in line for the lock; resolves to its release once this tab holds it. `cancelled` drops out of the line. */
  wait(name: string, cancelled: AbortSignal): Promise<(() => void) | null>;
  /** Takes the lock from its holder (who has agreed to it: see ChatTab.claim). */
  steal(name: string): Promise<() => void>;
}

/** Web Locks: held until released or the tab closes, handed to the next in line then. Without the API (old browsers) every tab owns. */
export function webTabLock(): TabLock {
  const request = (name: string, options: LockOptions): Promise<(() => void) | null> => {
    if (!("locks" in navigator)) return Promise.resolve(() => undefined);
    return new Promise((resolve) => {
      navigator.locks
        .request(name, options, (lock) => {
          if (!lock) {
            resolve(null);
            return undefined;
          }
          return new Promise<void>((release) => resolve(() => release()));
        })
        .catch(() => resolve(null));
    });
  };
  return {
    take: (name) => request(name, { ifAvailable: true }),
    wait: (name, cancelled) => request(name, { signal: cancelled }),
    steal: async (name) => (await request(name, { steal: true })) ?? (() => undefined),
  };
}
