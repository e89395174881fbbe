// What a call page may do beyond any other page: use the camera, the microphone and screen
// capture (Permissions-Policy), and talk to the LiveKit server (CSP connect-src). Only documents
// under CALL_ROUTE_PREFIX get these (proxy.ts); every other page keeps the strict policy that
// next.config.mjs sets, which excludes this prefix by the same literal. Both are per document, so
// a call page must be loaded as a document of its own, not reached by a client-side navigation.
// No server-only import: proxy.ts runs this on every page request.

export const CALL_ROUTE_PREFIX = "/chat/call";

/** next.config.mjs's policy for every other page, with the call page's three capabilities let back in for this origin only. */
export const CALL_PERMISSIONS_POLICY =
  "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()";

export function isCallRoute(pathname: string): boolean {
  return pathname === CALL_ROUTE_PREFIX || pathname.startsWith(`${CALL_ROUTE_PREFIX}/`);
}

/**
 * The origins a call page connects to for LIVEKIT_URL: its WebSocket for signalling and its HTTP
 * origin (the client asks /rtc/validate there when a connection fails); none when calls are off.
 */
export function livekitConnectSources(livekitUrl: string | undefined): string[] {
  if (!livekitUrl) return [];
  const url = new URL(livekitUrl);
  const secure = url.protocol === "wss:" || url.protocol === "https:";
  return [`${secure ? "wss" : "ws"}://${url.host}`, `${secure ? "https" : "http"}://${url.host}`];
}
