// The static security headers of every response (the Content-Security-Policy needs a fresh nonce
// per request and is set in proxy.ts). Plain JavaScript, because next.config.mjs is loaded by Node
// untranspiled; scripts/start.ts sets the same headers on the tRPC answers it serves itself.

/**
 * Headers for every response.
 * @param {boolean} production HSTS only in production: a development server speaks plain HTTP.
 * @returns {{ key: string, value: string }[]}
 */
export function securityHeaders(production) {
  return [
    { key: "Referrer-Policy", value: "no-referrer" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
    ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
  ];
}

/**
 * No camera, microphone or screen capture, on every path but the call pages under /chat/call
 * (CALL_ROUTE_PREFIX in server/calls/call-route-headers.ts), which proxy.ts gives their own policy.
 */
export const STRICT_PERMISSIONS_POLICY =
  "camera=(), microphone=(), display-capture=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()";
