// What log-out removes from this device for the chat: the service worker's caches (its copies of
// the chat's pages hold the person's name and handle), every account's offline copy of the storage
// secret, and the secret the worker's memory holds while Messages is in use offline, so that no one
// opens the messages here without signing in again. The sealed database stays: its history may
// exist nowhere else, and signing in opens it again.
import { forgetEveryOfflineUnlock } from "@/app/_chat/storage/forget-offline-unlocks";
import { workerHeldSecrets } from "./held-secret";

const CACHE_PREFIX = "hearth-chat-";

export async function forgetChatOnLogOut(): Promise<void> {
  await Promise.allSettled([forgetEveryOfflineUnlock(), deleteChatCaches(), workerHeldSecrets.forget()]);
}

async function deleteChatCaches(): Promise<void> {
  if (!("caches" in window)) return;
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX)).map((name) => caches.delete(name)));
}
