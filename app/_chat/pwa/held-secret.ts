// The page's side of the storage secret the chat's service worker holds while Messages is in use
// (app/_chat/pwa/service-worker.js): after an offline unlock the engine hands it over, and the next
// offline page load asks for it before asking the person for the passphrase. Every open Messages
// page that holds or received one pings the worker, which Chromium would otherwise stop after ~30 s
// idle (and the secret with it); once every Messages page is closed, it stops and the secret is gone.
// docs/e2ee-protocol.md, "Opening offline".

/** The worker's answer comes at once when it has one; a stopped worker starts empty, so this is short. */
const ASK_TIMEOUT_MS = 500;
/** Below Chromium's 30 s idle limit. */
const KEEP_ALIVE_MS = 20_000;

export interface HeldSecrets {
  /** Gives the worker `secret`, which opens `database`, to keep in its memory. */
  hold(database: string, secret: Uint8Array): void;
  /** The secret the worker holds for `database`, or null (none, no worker, or no answer in time). */
  ask(database: string): Promise<Uint8Array | null>;
  /** Makes the worker forget `database`'s secret (or every one); resolves once told, or when there is no worker. */
  forget(database?: string): Promise<void>;
}

let keepAlive: ReturnType<typeof setInterval> | null = null;

function startKeepingAlive(): void {
  if (keepAlive !== null) return;
  keepAlive = setInterval(() => navigator.serviceWorker?.controller?.postMessage({ type: "keep-alive" }), KEEP_ALIVE_MS);
}

function stopKeepingAlive(): void {
  if (keepAlive !== null) clearInterval(keepAlive);
  keepAlive = null;
}

/** The worker that controls this page, if any (none on the server). */
function controller(): ServiceWorker | null {
  return typeof navigator !== "undefined" ? (navigator.serviceWorker?.controller ?? null) : null;
}

export const workerHeldSecrets: HeldSecrets = {
  hold(database, secret) {
    const worker = controller();
    if (!worker) return;
    worker.postMessage({ type: "hold-secret", database, secret: new Uint8Array(secret) });
    startKeepingAlive();
  },

  async ask(database) {
    const worker = controller();
    if (!worker) return null;
    const channel = new MessageChannel();
    const answer = new Promise<Uint8Array | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ASK_TIMEOUT_MS);
      channel.port1.onmessage = (event: MessageEvent<{ secret?: unknown }>) => {
        clearTimeout(timer);
        const secret = event.data?.secret;
        resolve(secret instanceof Uint8Array ? secret : null);
      };
    });
    worker.postMessage({ type: "held-secret", database }, [channel.port2]);
    const secret = await answer;
    channel.port1.close();
    if (secret) startKeepingAlive();
    return secret;
  },

  async forget(database) {
    stopKeepingAlive();
    if (typeof navigator === "undefined" || !navigator.serviceWorker) return;
    // Log-out runs on the social pages, which the chat's worker does not control.
    const registration = await navigator.serviceWorker.getRegistration("/chat").catch(() => undefined);
    const workers = [registration?.active, navigator.serviceWorker.controller].filter((worker): worker is ServiceWorker => !!worker);
    for (const worker of new Set(workers)) worker.postMessage({ type: "forget-secret", database });
  },
};
