// The tab lock for tests: "tabs" in one process share one of these, as a browser's tabs share Web Locks.
import type { TabLock } from "../tabs/tab-lock";

export function memoryTabLock(): TabLock {
  /** The current grant of each held lock: a release from an earlier (stolen) grant does nothing. */
  const grants = new Map<string, number>();
  const lines = new Map<string, ((release: () => void) => void)[]>();
  let serial = 0;
  const grant = (name: string) => {
    const id = ++serial;
    grants.set(name, id);
    return () => {
      if (grants.get(name) !== id) return;
      const next = lines.get(name)?.shift();
      if (next) next(grant(name));
      else grants.delete(name);
    };
  };
  return {
    async take(name) {
      return grants.has(name) ? null : grant(name);
    },
    wait(name, cancelled) {
      if (!grants.has(name)) return Promise.resolve(grant(name));
      return new Promise((resolve) => {
        const line = lines.get(name) ?? [];
        lines.set(name, line);
        line.push(resolve);
        cancelled.addEventListener("abort", () => {
          const at = line.indexOf(resolve);
          if (at >= 0) line.splice(at, 1);
          resolve(null);
        });
      });
    },
    async steal(name) {
      return grant(name);
    },
  };
}
