// Hearth Messages' service worker (scope /chat), served by app/chat/sw.js/route.ts, which puts
// a comment with this build's id in front of it: browsers find a new version by comparing a worker's
// bytes, and this file alone does not change between builds. It keeps the app shell, so the
// installed app starts offline: pages come from the network first and fall back to their last copy
// (or to /chat); the build's static files, whose names carry their content hash, come from the
// cache. A new version waits until the person agrees to reload (the page sends "skip-waiting").
// Nothing under /api/ is ever touched: messages travel only through the chat engine, encrypted,
// and rest in IndexedDB. Log-out deletes these caches (app/_chat/pwa/forget-on-log-out.ts).
const VERSION = "v2";
const SHELL = `hearth-chat-shell-${VERSION}`;
const ASSETS = `hearth-chat-assets-${VERSION}`;
const START = "/chat";
/** Old builds' files pile up otherwise; the oldest go first. */
const MAX_ASSETS = 400;
const STATIC = /^\/_next\/static\//;
const MATCH = { ignoreVary: true };

// No skipWaiting here: a first worker takes over at once anyway, and a new version must not swap
// the app's files under an open conversation or call.
self.addEventListener("install", (event) => {
  event.waitUntil(precache().catch(() => undefined));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        // A share waiting for its conversation (SHARE_CACHE, below) outlives an update.
        if (key.startsWith("hearth-chat-") && key !== SHELL && key !== ASSETS && key !== SHARE_CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data;
  if (event.origin !== self.location.origin || !data) return;
  // The person agreed to the update (app/_chat/pwa/update-banner.tsx).
  if (data.type === "skip-waiting") return void self.skipWaiting();
  if (HELD_SECRET_MESSAGES.has(data.type)) return void heldSecretMessage(event);
  if (data.type !== "cache-assets" || !Array.isArray(data.urls)) return;
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

// ---------------------------------------------------------------------------------------------
// Push wake-ups: notifications while Hearth is closed (server/api/chat/push-wakeups.ts). A wake-up
// carries only the language of its one sentence, never content or sender; opening the app fetches
// and decrypts what arrived over Hearth's own connection. The texts are those of
// app/_chat/messages/*.json (chat.manifest.name, chat.notifications.push.notificationBody): a test
// compares them.
const WAKEUP_TEXT = {
  en: { title: "Hearth Messages", body: "You have a new message" },
  de: { title: "Hearth Nachrichten", body: "Du hast eine neue Nachricht" },
};
/** One notification at a time: a later wake-up replaces the earlier one. */
const WAKEUP_TAG = "hearth-new-message";

self.addEventListener("push", (event) => {
  event.waitUntil(showWakeup(event.data));
});

async function showWakeup(data) {
  // A Messages window in view shows what arrived itself (its list, its unread count): no
  // notification over it. (Chromium asks for none then either: the site is visible.)
  if ((await chatWindows()).some((client) => client.visibilityState === "visible")) return;
  let lang = "en";
  try {
    if (data && data.json().lang === "de") lang = "de";
  } catch {
    // Not ours, or damaged: the English sentence says all there is to say.
  }
  const text = WAKEUP_TEXT[lang];
  await self.registration.showNotification(text.title, { body: text.body, tag: WAKEUP_TAG, icon: "/chat/icons/icon-192.png", data: { url: START } });
}

// A click brings an open Messages window forward (the one in view, else the first), or opens one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openChat());
});

async function openChat() {
  const windows = await chatWindows();
  const chat = windows.find((client) => client.visibilityState === "visible") || windows[0];
  if (chat) return chat.focus();
  return self.clients.openWindow(START);
}

/** The windows of this origin showing Messages (/chat and below). */
async function chatWindows() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  return windows.filter((client) => isChatPath(new URL(client.url).pathname));
}

function isChatPath(pathname) {
  return pathname === START || pathname.startsWith(`${START}/`);
}

// ---------------------------------------------------------------------------------------------
// Share target: a photo or text shared into the installed app (the manifest's share_target)
// arrives here as a POST and stops here. It is kept on this device, in SHARE_CACHE, until the
// person picks a conversation (/chat/share) and sends it from the composer, encrypted like any
// message: the server never receives the shared photo or text in clear.
const SHARE_CACHE = "hearth-chat-share";
const SHARE_PATH = "/chat/share";
/** As many files as one message may carry (app/_chat/engine/attachments). */
const MAX_SHARED_FILES = 10;

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === "POST" && url.origin === self.location.origin && url.pathname === SHARE_PATH) event.respondWith(receiveShare(event.request));
});

async function receiveShare(request) {
  try {
    const form = await request.formData();
    const text = ["title", "text", "url"]
      .map((name) => form.get(name))
      .filter((value) => typeof value === "string" && value.trim())
      .join("\n");
    const files = form
      .getAll("photos")
      .filter((file) => typeof file !== "string" && file.type.startsWith("image/"))
      .slice(0, MAX_SHARED_FILES);
    await caches.delete(SHARE_CACHE);
    const cache = await caches.open(SHARE_CACHE);
    await Promise.all(
      files.map((file, index) =>
        cache.put(
          `${SHARE_PATH}/file/${index}`,
          new Response(file, { headers: { "Content-Type": file.type, "X-Shared-Name": encodeURIComponent(file.name) } }),
        ),
      ),
    );
    await cache.put(`${SHARE_PATH}/items`, Response.json({ text, files: files.length, at: Date.now() }));
  } catch {
    // A share that cannot be read leaves nothing behind; the page then says there is nothing to share.
  }
  return Response.redirect(SHARE_PATH, 303);
}

// ---------------------------------------------------------------------------------------------
// The opened storage secret, held while Messages is in use offline (app/_chat/pwa/held-secret.ts):
// Next loads every chat page afresh when it cannot fetch its data offline, and the page's memory
// goes with it; without this, each of those loads would ask for the offline passphrase again. It
// lives in this Map only, never in Cache Storage or IndexedDB: when every Messages page is closed,
// the browser stops the worker and it is gone (open pages ping it so that it is not stopped while
// idle). Only a Messages window of this origin may hand one over or ask for one; any page of this
// origin may make it forget (log-out runs on the social pages). docs/e2ee-protocol.md, "Opening offline".
const HELD_SECRET_MESSAGES = new Set(["hold-secret", "held-secret", "forget-secret", "keep-alive"]);
/** database name → its storage secret */
const heldSecrets = new Map();

function heldSecretMessage(event) {
  const data = event.data;
  if (data.type === "forget-secret") {
    if (typeof data.database === "string") heldSecrets.delete(data.database);
    else heldSecrets.clear();
    return;
  }
  // keep-alive needs no answer: receiving it is what keeps the worker running.
  if (data.type === "keep-alive" || !isChatWindow(event.source) || typeof data.database !== "string") return;
  if (data.type === "hold-secret") {
    // isView rather than instanceof: a test hands it over from another realm.
    if (ArrayBuffer.isView(data.secret) && data.secret.byteLength === 32) heldSecrets.set(data.database, Uint8Array.from(data.secret));
    return;
  }
  const port = event.ports && event.ports[0];
  if (!port) return;
  const secret = heldSecrets.get(data.database);
  port.postMessage({ secret: secret ? Uint8Array.from(secret) : null });
}

/** A window of this origin showing Messages (a page elsewhere in the origin, or a worker, gets nothing). */
function isChatWindow(source) {
  if (!source || source.type !== "window" || typeof source.url !== "string") return false;
  const url = new URL(source.url);
  return url.origin === self.location.origin && isChatPath(url.pathname);
}
