// This browser's Web Push subscription, made at its vendor's push service through the chat's
// service worker (app/_chat/pwa/service-worker.js shows the wake-ups). Made only when the person turns
// notifications-while-closed on (push-settings.tsx), never on load.
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";

export interface BrowserPushSubscription {
  endpoint: string;
  /** base64url, as PushSubscription.toJSON() gives them. */
  p256dh: string;
  auth: string;
}

export type SubscribeResult =
  | { kind: "subscribed"; subscription: BrowserPushSubscription }
  | { kind: "no_service_worker" }
  | { kind: "push_service_unreachable" }
  | { kind: "push_refused" };

const REGISTRATION_WAIT_MS = 3_000;

export function pushSupported(): boolean {
  return typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** The chat's service worker registration, or null (development builds register none). */
export async function currentPushRegistration(): Promise<ServiceWorkerRegistration | null> {
  const registration = await navigator.serviceWorker.getRegistration("/chat");
  if (!registration) return null;
  if (registration.active) return registration;
  // Installed a moment ago: wait briefly for it to activate rather than forever.
  const ready = navigator.serviceWorker.ready.then(() => registration);
  return Promise.race([ready, new Promise<null>((resolve) => setTimeout(() => resolve(null), REGISTRATION_WAIT_MS))]);
}

/** Subscribes at the browser's push service with the server's VAPID key (or reuses this key's subscription). */
export async function subscribeThisBrowser(serverPublicKey: string): Promise<SubscribeResult> {
  const registration = await currentPushRegistration();
  if (!registration) return { kind: "no_service_worker" };
  let subscription: PushSubscription;
  try {
    const existing = await registration.pushManager.getSubscription();
    const sameKey = existing?.options.applicationServerKey && toBase64Url(new Uint8Array(existing.options.applicationServerKey)) === serverPublicKey;
    if (existing && !sameKey) await existing.unsubscribe();
    subscription =
      existing && sameKey
        ? existing
        : await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(serverPublicKey) });
  } catch (error) {
    // Headless Chromium refuses with "AbortError: Registration failed - permission denied" even with
    // notifications allowed; Chromium without Google's push service fails with another AbortError.
    const message = error instanceof Error ? `${error.name} ${error.message}` : "";
    return { kind: /NotAllowedError|permission/i.test(message) ? "push_refused" : "push_service_unreachable" };
  }
  const json = subscription.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) return { kind: "push_service_unreachable" };
  return { kind: "subscribed", subscription: { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth } };
}

export async function unsubscribeThisBrowser(): Promise<void> {
  const registration = await currentPushRegistration();
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
}
