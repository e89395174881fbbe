// The E2EE worker for a call (served by app/chat/call/e2ee-worker.js), addressed with the
// livekit-client version so a browser never pairs a cached worker with another client.
import { version } from "livekit-client";

export const E2EE_WORKER_PATH = "/chat/call/e2ee-worker.js";

export function createE2EEWorker(): Worker {
  return new Worker(`${E2EE_WORKER_PATH}?v=${encodeURIComponent(version)}`, { name: "livekit-e2ee" });
}
