// The headers a page is served with, from the two places that set them: next.config.mjs (static,
// matched the way Next matches them) and proxy.ts (per request). A call page under /chat/call may
// use the camera, the microphone and screen capture and connect to the LiveKit server; every other
// page may do none of it; and each page gets exactly one Permissions-Policy.
import path from "node:path";
import type { NextConfig } from "next";
import { buildCustomRoute } from "next/dist/lib/build-custom-route";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CALL_ROUTE_PREFIX, isCallRoute, livekitConnectSources } from "./call-route-headers";

// Plain JavaScript that TypeScript does not type: imported by path, typed as what it exports.
const NEXT_CONFIG = path.resolve(import.meta.dirname, "../../next.config.mjs");

const LIVEKIT = { LIVEKIT_URL: "ws://127.0.0.1:7880", LIVEKIT_API_KEY: "hearth-test", LIVEKIT_API_SECRET: "s".repeat(43) };

/** next.config.mjs's headers for a path, as Next matches its `source` patterns. */
async function configHeadersFor(pathname: string): Promise<Record<string, string>> {
  const { default: nextConfig } = (await import(/* @vite-ignore */ NEXT_CONFIG)) as { default: NextConfig };
  const rules = (await nextConfig.headers!()) as { source: string; headers: { key: string; value: string }[] }[];
  const matching = rules.filter((rule) => new RegExp(buildCustomRoute("header", rule).regex).test(pathname));
  return Object.fromEntries(matching.flatMap((rule) => rule.headers.map(({ key, value }) => [key.toLowerCase(), value])));
}

/** proxy.ts's headers for a page request, with these LiveKit variables (none when not given). */
async function proxyHeadersFor(pathname: string, livekit: Partial<typeof LIVEKIT> = {}): Promise<Headers> {
  vi.resetModules();
  for (const name of Object.keys(LIVEKIT) as (keyof typeof LIVEKIT)[]) vi.stubEnv(name, livekit[name]);
  const { proxy } = await import("../../proxy");
  return proxy(new NextRequest(`http://localhost:3000${pathname}`, { headers: { "sec-fetch-dest": "document" } })).headers;
}

const connectSrc = (csp: string | null) => /(?:^|; )connect-src ([^;]*)/.exec(csp ?? "")?.[1];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("a call page", () => {
  it.each(["/chat/call", "/chat/call/0f1e2d3c4b5a69788796a5b4c3d2e1f0"])(
    "%s may use the camera, microphone and screen capture, and reach LiveKit",
    async (page) => {
      const config = await configHeadersFor(page);
      const proxied = await proxyHeadersFor(page, LIVEKIT);
      expect(config["permissions-policy"]).toBeUndefined();
      const policy = proxied.get("permissions-policy")!;
      for (const feature of ["camera", "microphone", "display-capture"]) expect(policy).toContain(`${feature}=(self)`);
      expect(policy).toContain("geolocation=()");
      expect(connectSrc(proxied.get("content-security-policy"))).toBe("'self' ws://127.0.0.1:7880 http://127.0.0.1:7880");
      // The rest of the static headers stay.
      expect(config).toMatchObject({ "referrer-policy": "no-referrer", "x-frame-options": "DENY" });
    },
  );

  it("connects to nothing but its own origin when calls are not configured", async () => {
    expect(connectSrc((await proxyHeadersFor(`${CALL_ROUTE_PREFIX}/x`)).get("content-security-policy"))).toBe("'self'");
  });
});

describe("every other page", () => {
  it.each(["/", "/login", "/chat", "/chat/@bob", "/chat/calls", "/chat/callx/y", "/settings/privacy", "/api/trpc/calls.join"])(
    "%s gets no camera, microphone or screen capture and reaches no LiveKit",
    async (page) => {
      const policy = (await configHeadersFor(page))["permissions-policy"]!;
      for (const feature of ["camera", "microphone", "display-capture"]) expect(policy).toContain(`${feature}=()`);
      const proxied = await proxyHeadersFor(page, LIVEKIT);
      expect(proxied.get("permissions-policy")).toBeNull();
      expect(connectSrc(proxied.get("content-security-policy"))).toBe("'self'");
    },
  );
});

describe("the helpers", () => {
  it("tell call pages by their path segment, not by a shared prefix", () => {
    expect(["/chat/call", "/chat/call/", "/chat/call/abc"].every(isCallRoute)).toBe(true);
    expect(["/chat/calls", "/chat/caller", "/chat", "/chat/@alice/call", "/CHAT/CALL/x"].some(isCallRoute)).toBe(false);
  });

  it("name LiveKit's WebSocket and HTTP origins, secure with secure, never a path", () => {
    expect(livekitConnectSources("wss://calls.example.org/some/path")).toEqual(["wss://calls.example.org", "https://calls.example.org"]);
    expect(livekitConnectSources("https://calls.example.org:8443")).toEqual(["wss://calls.example.org:8443", "https://calls.example.org:8443"]);
    expect(livekitConnectSources("http://127.0.0.1:7880")).toEqual(["ws://127.0.0.1:7880", "http://127.0.0.1:7880"]);
    expect(livekitConnectSources(undefined)).toEqual([]);
  });
});
