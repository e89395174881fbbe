// The client address for rate limits. Hearth's server (scripts/start.ts) writes it into a header of
// its own on every request, overwriting whatever the client sent, so handlers can trust it.
import type { IncomingMessage } from "node:http";

export const CLIENT_IP_HEADER = "x-hearth-client-ip";

/** With a trusted reverse proxy, the last X-Forwarded-For hop is the one the proxy saw. */
export function clientIpOf(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers["x-forwarded-for"];
    const value = Array.isArray(forwarded) ? forwarded.at(-1) : forwarded;
    const lastHop = value?.split(",").at(-1)?.trim();
    if (lastHop) return lastHop;
  }
  return request.socket.remoteAddress ?? "unknown";
}
