// Hearth Messages' service worker (registered by the chat's pages, scope /chat). It keeps the
// app shell, so the installed app starts offline: pages come from the network first and fall back
// to their last copy (or to /chat); the build's static files, whose names carry their content
// hash, come from the cache. Nothing under /api/ is ever touched: messages travel only through the
// chat engine, encrypted, and rest in IndexedDB.
const VERSION = "v1";
const SHELL = `hearth-chat-shell-${VERSION}`;
const ASSETS = `hearth-chat-assets-${VERSION}`;
const START = "/chat";
/** Old builds' files pile up otherwise; the oldest go first. */
const MAX_ASSETS = 400;
const STATIC = /^\/_next\/static\//;
const MATCH = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(precache().catch(() => undefined));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("hearth-chat-") && key !== SHELL && key !== ASSETS) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data;
  if (event.origin !== self.location.origin || !data || data.type !== "cache-assets" || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((url) => typeof url === "string" && STATIC.test(url)).slice(0, MAX_ASSETS);
  event.waitUntil(cacheAssets(urls));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    if (url.pathname === START || url.pathname.startsWith(`${START}/`)) event.respondWith(page(request));
    return;
  }
  if (STATIC.test(url.pathname)) event.respondWith(asset(request));
  else if (url.pathname === "/chat/manifest.webmanifest" || url.pathname === "/icon.svg") event.respondWith(networkFirst(request, ASSETS));
});

/** The start page and the files it names, so that the first offline start works. */
async function precache() {
  const response = await fetch(START, { credentials: "same-origin" });
  if (!cacheable(response)) return;
  const html = await response.clone().text();
  await (await caches.open(SHELL)).put(START, response);
  const urls = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+)"/g)) urls.add(match[1].replace(/&amp;/g, "&"));
  await cacheAssets([...urls]);
}

async function cacheAssets(urls) {
  const cache = await caches.open(ASSETS);
  await Promise.all(
    urls.map(async (url) => {
      if (await cache.match(url, MATCH)) return;
      const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
      if (response && cacheable(response)) await cache.put(url, response);
    }),
  );
  await trim(cache);
}

async function page(request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (cacheable(response)) await cache.put(request.url, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(request.url, MATCH)) ?? (await cache.match(START, MATCH));
    if (cached) return cached;
    throw error;
  }
}

async function asset(request) {
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request, MATCH);
  if (cached) return cached;
  const response = await fetch(request);
  if (cacheable(response)) {
    await cache.put(request, response.clone());
    await trim(cache);
  }
  return response;
}

async function networkFirst(request, name) {
  const cache = await caches.open(name);
  try {
    const response = await fetch(request);
    if (cacheable(response)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, MATCH);
    if (cached) return cached;
    throw error;
  }
}

/** Only whole, same-origin answers; never a redirect (to /login, say) or an error page. */
function cacheable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

async function trim(cache) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_ASSETS))) await cache.delete(key);
}
