// The page's side of the chat's service worker: registers this build's worker, hands it the files
// the page loaded before it could see them, and reports a new version once it is installed and
// waiting, which takes over only when the person agrees (`apply`). A long-open app looks for a new
// version when it comes back into view, at most once an hour.

const SCRIPT = "/chat/sw.js";
// "/chat" rather than "/chat/": a scope matches by prefix, and the app's start page is /chat.
const SCOPE = "/chat";
const UPDATE_CHECK_MS = 60 * 60 * 1000;

export interface WaitingUpdate {
  /** Lets the new version take over, then reloads the page into it. */
  apply(): void;
}

/** Registers the worker; `onUpdate` is called when a new version waits. Returns the clean-up. */
export async function registerChatServiceWorker(onUpdate: (update: WaitingUpdate) => void): Promise<() => void> {
  const registration = await navigator.serviceWorker.register(SCRIPT, { scope: SCOPE });
  const offer = (worker: ServiceWorker) => onUpdate({ apply: () => takeOver(worker) });
  // Only with a controller is an installed worker an update; without one it is the first, and takes over by itself.
  const watch = (worker: ServiceWorker | null) =>
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  watch(registration.installing);
  registration.addEventListener("updatefound", () => watch(registration.installing));

  let lastCheck = Date.now();
  const checkWhenVisible = () => {
    if (document.visibilityState !== "visible" || Date.now() - lastCheck < UPDATE_CHECK_MS) return;
    lastCheck = Date.now();
    registration.update().catch(() => undefined);
  };
  document.addEventListener("visibilitychange", checkWhenVisible);

  void handOverLoadedAssets();
  return () => document.removeEventListener("visibilitychange", checkWhenVisible);
}

function takeOver(worker: ServiceWorker): void {
  navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
  worker.postMessage({ type: "skip-waiting" });
}

/** This page's scripts and styles were fetched before the worker could see them: it caches them, so the next start works offline. */
async function handOverLoadedAssets(): Promise<void> {
  const registration = await navigator.serviceWorker.ready;
  const assets = performance
    .getEntriesByType("resource")
    .map((entry) => new URL(entry.name))
    .filter((url) => url.origin === location.origin && url.pathname.startsWith("/_next/static/"))
    .map((url) => url.pathname + url.search);
  registration.active?.postMessage({ type: "cache-assets", urls: assets });
}
