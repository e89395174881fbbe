// What one deployment of Hearth serves, in one place: with HEARTH_APP=chat, Hearth Chat alone
// (Messages and calls, and the account: sign-up, log-in, its settings and security, the privacy
// dashboard, the operators' reports), without the social site. proxy.ts applies it to every page
// and to the social site's media routes; server/root.ts to the tRPC procedures. Everything not
// listed here answers 404 in a chat-only deployment, so a new page of the social site stays out
// of it without anyone having to remember.

/** `hearth`: the whole site (the default); `chat`: Hearth Chat on its own. */
export type HearthApp = "hearth" | "chat";

/** What a chat-only deployment does with a request for a path. */
export type ChatAppRoute = "serve" | "to-chat" | "not-found";

/** Paths Hearth Chat serves, with everything below them. */
const CHAT_APP_PATHS = [
  "/chat",
  // The installed app's icons and install-dialog screenshots (public/chat-icons).
  "/chat-icons",
  "/login",
  "/signup",
  "/forgot-password",
  "/reset-password",
  "/verify-email",
  "/welcome",
  "/settings",
  "/operator",
  "/api/trpc",
  "/api/chat",
  "/api/calls",
  "/api/privacy",
  "/_next",
];

/** Single files at the root that every site has (the service worker is /chat/sw.js, under /chat). */
const CHAT_APP_FILES = new Set(["/robots.txt", "/favicon.ico", "/icon.svg"]);

/** Where a chat-only deployment sends a request for `pathname` (already decoded by the URL parser). */
export function chatAppRoute(pathname: string): ChatAppRoute {
  if (pathname === "/") return "to-chat";
  if (CHAT_APP_FILES.has(pathname)) return "serve";
  return CHAT_APP_PATHS.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`)) ? "serve" : "not-found";
}
