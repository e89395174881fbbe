// LiveKit's webhooks (room started and finished, participants joined and left), checked with
// LiveKit's WebhookReceiver: the Authorization header is a token signed with Hearth's API secret
// whose sha256 claim is the body's hash, so a forged or altered event is refused. Hearth stores
// nothing about calls, so nothing needs cleaning up: an event is only counted, and the counts (no
// room names, no participants) are logged for operators.
import "server-only";
import { WebhookReceiver } from "livekit-server-sdk";
import { AppError } from "../errors";
import type { LivekitSettings } from "./livekit-settings";

const counts = new Map<string, number>();

/** Events received since this process started, by kind. */
export function callWebhookCounts(): ReadonlyMap<string, number> {
  return counts;
}

/**
 * Checks one webhook and counts it; returns its event name.
 * @throws AppError UNAUTHENTICATED when the signature is missing, wrong, expired or for another body
 */
export async function receiveCallWebhook(options: { settings: LivekitSettings; body: string; authorization: string | null }): Promise<string> {
  const receiver = new WebhookReceiver(options.settings.apiKey, options.settings.apiSecret);
  if (!options.authorization) throw new AppError("UNAUTHENTICATED", "A webhook must be signed.");
  // Only LiveKit holds the secret, so a signed body that is no event cannot happen in practice:
  // every failure is answered as a signature that does not hold.
  const event = await receiver.receive(options.body, options.authorization).then(
    (received) => received.event,
    () => {
      throw new AppError("UNAUTHENTICATED", "The webhook's signature does not hold.");
    },
  );
  const name = event || "unknown";
  counts.set(name, (counts.get(name) ?? 0) + 1);
  if (name === "room_finished") {
    const summary = [...counts].map(([kind, count]) => `${kind} ${count}`).join(", ");
    console.log(`[calls] a call ended; webhooks since start: ${summary}`);
  }
  return name;
}
