// Waiting between tries of an upload or download that lost its connection: 1 s, 2 s, 4 s … up to
// 30 s (from the environment's base delay), cut short when the browser comes back online, a
// bounded number of tries in a row without progress.
import { ChatEngineError } from "../chat-engine-error";

/** Tries in a row that move no byte before a transfer gives up (about two minutes of waiting). */
export const MAX_TRANSFER_TRIES = 8;
const MAX_DELAY_FACTOR = 30;

export interface RetryPolicy {
  /** The first wait (1 s in the browser); each next one doubles, up to 30 times it. */
  baseMs: number;
  /** Calls `listener` when the browser comes back online; returns the unsubscribe. */
  onOnline(listener: () => void): () => void;
}

/**
 * Waits before try number `attempt` (2 and up).
 * @throws ChatEngineError chat_attachment_cancelled when `signal` fires
 */
export function waitToRetry(attempt: number, policy: RetryPolicy, signal: AbortSignal): Promise<void> {
  const delay = policy.baseMs * Math.min(MAX_DELAY_FACTOR, 2 ** Math.max(0, attempt - 2));
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ChatEngineError("chat_attachment_cancelled"));
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener("abort", cancelled);
    };
    const cancelled = () => (done(), reject(new ChatEngineError("chat_attachment_cancelled")));
    const timer = setTimeout(() => (done(), resolve()), delay);
    const unsubscribe = policy.onOnline(() => (done(), resolve()));
    signal.addEventListener("abort", cancelled, { once: true });
  });
}
