// A disappearing message's expiry as the server is told it (with each envelope batch and file upload).
import { DISAPPEARING_TIMERS } from "./chat-content";

/** The longest timer, in seconds: the most a message's envelopes and files are kept for it. */
export const LONGEST_TIMER_SECONDS = Math.max(...DISAPPEARING_TIMERS);

/** A disappearing message's expiry as the server takes it: whole seconds from now, 1 to LONGEST_TIMER_SECONDS. */
export function expiresInSeconds(expiresAt: number, now: number): number {
  return Math.min(LONGEST_TIMER_SECONDS, Math.max(1, Math.ceil((expiresAt - now) / 1000)));
}
