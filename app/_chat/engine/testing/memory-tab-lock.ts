// The tab lock for tests: "tabs" in one process share one of these, as a browser's tabs share Web Locks.
import type { TabLock } from "../tabs/tab-lock";

export function memoryTabLock(): TabLock {
  const held = new Set<string>();
  const lines = new Map<string, ((release: () => void) => void)[]>();
  const releaseOf = (name: string) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lines.get(name)?.shift();
      if (next) next(releaseOf(name));
      else held.delete(name);
    };
  };
  return {
    async take(name) {
      if (held.has(name)) return null;
      held.add(name);
      return releaseOf(name);
    },
    wait(name, cancelled) {
      if (!held.has(name)) {
        held.add(name);
        return Promise.resolve(releaseOf(name));
      }
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
  };
}
