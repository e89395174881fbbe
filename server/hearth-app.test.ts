// A chat-only deployment (HEARTH_APP=chat) serves Hearth Chat and the account, and nothing of the
// social site: its pages and media answer 404 at the proxy, its procedures 404 at the tRPC
// endpoint, / leads to /chat. The whole site (the default) serves everything as before.
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { chatAppRoute } from "./hearth-app";

afterEach(() => {
  vi.unstubAllEnvs();
});

/** proxy.ts's answer to a page request in a deployment of `app`. */
async function proxied(app: "hearth" | "chat" | undefined, pathname: string) {
  vi.resetModules();
  vi.stubEnv("HEARTH_APP", app);
  const { proxy } = await import("../proxy");
  const response = proxy(new NextRequest(`http://localhost:3000${pathname}`, { headers: { "sec-fetch-dest": "document" } }));
  const rewrite = response.headers.get("x-middleware-rewrite");
  return { status: response.status, location: response.headers.get("location"), rewrittenTo: rewrite ? new URL(rewrite).pathname : null };
}

/** The tRPC endpoint's status for a call of `path` in a deployment of `app`. */
async function trpcStatus(app: "hearth" | "chat", path: string, method: "GET" | "POST" = "GET", body?: unknown): Promise<number> {
  vi.resetModules();
  vi.stubEnv("HEARTH_APP", app);
  const route = await import("../app/api/trpc/[trpc]/route");
  const url = `http://localhost:3000/api/trpc/${path}${method === "GET" ? `?input=${encodeURIComponent(JSON.stringify(body ?? null))}` : ""}`;
  const request = new Request(url, {
    method,
    headers: { origin: "http://localhost:3000", host: "localhost:3000", "content-type": "application/json" },
    body: method === "POST" ? JSON.stringify(body) : undefined,
  });
  return (await (method === "GET" ? route.GET(request) : route.POST(request))).status;
}

const SOCIAL_PAGES = [
  "/search",
  "/notifications",
  "/bookmarks",
  "/@alice",
  "/alice",
  "/post/0190a6f0-0000-7000-8000-000000000000",
  "/hashtag/hearth",
  "/sitemap.xml",
];
const CHAT_APP_PAGES = [
  "/chat",
  "/chat/@alice",
  "/chat/requests",
  "/chat/call/abc",
  "/chat/manifest.webmanifest",
  "/chat/sw.js",
  "/chat-icons/maskable-512.png",
];
const ACCOUNT_PAGES = [
  "/login",
  "/signup",
  "/forgot-password",
  "/reset-password",
  "/verify-email",
  "/welcome",
  "/settings",
  "/settings/security",
  "/settings/privacy",
  "/operator/reports",
];

describe("what Hearth Chat serves on its own", () => {
  it("Messages and calls, the account's pages and the APIs they call, and nothing else", () => {
    for (const path of [
      ...CHAT_APP_PAGES,
      ...ACCOUNT_PAGES,
      "/api/trpc/chat.devices.list",
      "/api/chat/attachments/x",
      "/api/calls/webhook",
      "/api/privacy/export/x",
    ]) {
      expect(chatAppRoute(path), path).toBe("serve");
    }
    for (const path of [...SOCIAL_PAGES, "/api/media/x/preview", "/api/media/upload", "/chatter", "/settingsx", "/chat-sw.js", "/%63hat"]) {
      expect(chatAppRoute(path), path).toBe("not-found");
    }
    expect(chatAppRoute("/")).toBe("to-chat");
  });
});

describe("the proxy", () => {
  it.each(SOCIAL_PAGES)("answers %s with the not-found page in a chat-only deployment, and serves it otherwise", async (path) => {
    const chatOnly = await proxied("chat", path);
    expect(chatOnly.rewrittenTo).toMatch(/^\/_not-served\//);
    expect(await proxied(undefined, path)).toMatchObject({ status: 200, rewrittenTo: null });
    expect(await proxied("hearth", path)).toMatchObject({ status: 200, rewrittenTo: null });
  });

  it.each([...CHAT_APP_PAGES, ...ACCOUNT_PAGES])("serves %s in a chat-only deployment", async (path) => {
    expect(await proxied("chat", path)).toMatchObject({ status: 200, rewrittenTo: null, location: null });
  });

  it("sends / to /chat in a chat-only deployment, and serves the home timeline otherwise", async () => {
    expect(await proxied("chat", "/")).toMatchObject({ status: 307, location: "http://localhost:3000/chat" });
    expect(await proxied("hearth", "/")).toMatchObject({ status: 200, location: null, rewrittenTo: null });
  });

  it("answers the social site's media with a bare 404 in a chat-only deployment", async () => {
    expect((await proxied("chat", "/api/media/0190a6f0-0000-7000-8000-000000000000/preview")).status).toBe(404);
    expect((await proxied("hearth", "/api/media/0190a6f0-0000-7000-8000-000000000000/preview")).status).toBe(200);
  });
});

describe("the tRPC endpoint", () => {
  it("answers every social procedure with 404 in a chat-only deployment, before reading its input", async () => {
    expect(await trpcStatus("chat", "social.timeline.home", "GET", {})).toBe(404);
    expect(await trpcStatus("chat", "social.posts.create", "POST", { text: "hello" })).toBe(404);
    // The same calls reach their procedures in the whole site (which refuse them: nobody is signed in).
    expect(await trpcStatus("hearth", "social.timeline.home", "GET", {})).toBe(401);
  });

  it("keeps the account, the chat and the privacy dashboard in a chat-only deployment", async () => {
    expect(await trpcStatus("chat", "auth.me")).toBe(200);
    expect(await trpcStatus("chat", "chat.devices.list")).toBe(401);
    expect(await trpcStatus("chat", "privacy.consents")).toBe(401);
  });
});
