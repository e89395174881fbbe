// Runs before every page and API request: a fresh CSP nonce for Next's scripts, and the session
// cookie's expiry renewed on navigations (server components cannot set cookies themselves). Call
// pages (server/calls/call-route-headers.ts) also get the camera, the microphone and screen capture,
// and may connect to the LiveKit server; no other page may. A chat-only deployment (HEARTH_APP=chat)
// answers every page and media route of the social site with 404 here, and sends / to /chat
// (server/hearth-app.ts says what it serves).
import { NextResponse, type NextRequest } from "next/server";
import { CALL_PERMISSIONS_POLICY, isCallRoute, livekitConnectSources } from "./server/calls/call-route-headers";
import { serverEnv } from "./server/env";
import { chatAppRoute } from "./server/hearth-app";

const SESSION_COOKIES = ["hearth_session", "__Host-hearth_session"];
const SESSION_COOKIE_MAX_AGE = 30 * 24 * 60 * 60;

function contentSecurityPolicy(nonce: string, dev: boolean, connectSources: string[]): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets Next's nonced loader bring in its chunks; dev needs eval for HMR.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(" "),
    "media-src 'self' blob:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** An address no page answers, so Next renders app/not-found.tsx with status 404 (two segments: /[handle] takes any one). */
const NOT_SERVED = "/_not-served/here";

export function proxy(request: NextRequest) {
  const env = serverEnv();
  const { pathname } = request.nextUrl;
  const route = env.HEARTH_APP === "chat" ? chatAppRoute(pathname) : "serve";
  if (route === "to-chat") return NextResponse.redirect(new URL("/chat", request.url));
  // An API route (of those the proxy sees, config.matcher: the social site's media) has no page to show.
  if (route === "not-found" && pathname.startsWith("/api/")) return new NextResponse(null, { status: 404 });

  const nonce = btoa(crypto.randomUUID());
  const callRoute = isCallRoute(request.nextUrl.pathname);
  const csp = contentSecurityPolicy(nonce, env.NODE_ENV === "development", callRoute ? livekitConnectSources(env.LIVEKIT_URL) : []);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response =
    route === "serve"
      ? NextResponse.next({ request: { headers: requestHeaders } })
      : NextResponse.rewrite(new URL(NOT_SERVED, request.url), { request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  // Every other page gets next.config.mjs's policy, which leaves call pages out.
  if (callRoute) response.headers.set("Permissions-Policy", CALL_PERMISSIONS_POLICY);

  if (request.method === "GET" && request.headers.get("sec-fetch-dest") === "document") {
    for (const name of SESSION_COOKIES) {
      const value = request.cookies.get(name)?.value;
      if (value) {
        response.cookies.set(name, value, {
          path: "/",
          httpOnly: true,
          sameSite: "lax",
          secure: name.startsWith("__Host-"),
          maxAge: SESSION_COOKIE_MAX_AGE,
        });
      }
    }
  }
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)" }, { source: "/api/media/:path*" }],
};
