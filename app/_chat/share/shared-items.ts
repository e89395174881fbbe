// What was shared into the installed app (a photo, text or link), kept on this device by the
// service worker (app/_chat/pwa/service-worker.js, "Share target") until the person sends it from a
// conversation's composer. Never sent to the server as it is: it travels as a message, encrypted.
export const SHARE_CACHE = "hearth-chat-share";
const SHARE_PATH = "/chat/share";
/** A share left unsent this long is forgotten. */
const SHARE_KEPT_MS = 60 * 60 * 1000;

export interface SharedItems {
  text: string;
  files: File[];
}

/** What is waiting to be shared, or null. */
export async function readSharedItems(now = Date.now()): Promise<SharedItems | null> {
  if (typeof caches === "undefined") return null;
  const cache = await caches.open(SHARE_CACHE);
  const items = await cache.match(`${SHARE_PATH}/items`);
  if (!items) return null;
  const meta = (await items.json()) as { text: string; files: number; at: number };
  if (now - meta.at > SHARE_KEPT_MS) {
    await forgetSharedItems();
    return null;
  }
  const files: File[] = [];
  for (let index = 0; index < meta.files; index++) {
    const response = await cache.match(`${SHARE_PATH}/file/${index}`);
    if (!response) continue;
    const blob = await response.blob();
    files.push(new File([blob], decodeURIComponent(response.headers.get("X-Shared-Name") ?? `photo-${index + 1}`), { type: blob.type }));
  }
  return meta.text || files.length ? { text: meta.text, files } : null;
}

export async function forgetSharedItems(): Promise<void> {
  if (typeof caches !== "undefined") await caches.delete(SHARE_CACHE);
}

/** Reads what is waiting and forgets it: the composer takes it once. */
export async function takeSharedItems(): Promise<SharedItems | null> {
  const items = await readSharedItems();
  await forgetSharedItems();
  return items;
}
