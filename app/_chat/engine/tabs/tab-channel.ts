// The channel between the tabs of one person in this browser (same origin only). An interface, so
// that tests run several "tabs" in one process and can read everything that crosses it.
import type { BridgeMessage } from "./bridge-messages";

export interface TabChannel {
  post(message: BridgeMessage): void;
  /** Calls `listener` with every message another tab posts; returns the unsubscribe. */
  listen(listener: (message: BridgeMessage) => void): () => void;
  close(): void;
}

/** A BroadcastChannel named for the person (a message reaches the other tabs, never the sender). */
export function broadcastTabChannel(userId: string): TabChannel {
  const channel = new BroadcastChannel(`hearth-chat:${userId}`);
  return {
    post: (message) => channel.postMessage(message),
    listen(listener) {
      const onMessage = (event: MessageEvent<BridgeMessage>) => listener(event.data);
      channel.addEventListener("message", onMessage);
      return () => channel.removeEventListener("message", onMessage);
    },
    close: () => channel.close(),
  };
}
