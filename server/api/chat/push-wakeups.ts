// Wake-ups for devices that opted in to notifications while Hearth is closed. Invariants: a
// wake-up carries no content and no sender, only the language of its one sentence, padded to
// WAKEUP_PLAINTEXT_BYTES and encrypted to the device (RFC 8291, aes128gcm), so every wake-up is the
// same size; the push service learns that and when a device is woken, nothing else. The device
// then fetches and decrypts what arrived over Hearth's own connection. Requests go only to the
// allowed push services (SSRF: a subscription's address comes from a browser), without redirects.
import "server-only";
import webPush from "web-push";
import { serverEnv } from "../../env";
import { claimPushWakeups, forgetGonePushSubscription, type PushTarget } from "../../data/chat/push-subscriptions";
import { vapidKeys } from "./vapid-keys";

/** The browser vendors' push services. Others (UnifiedPush distributors, the tests' fake) come from HEARTH_PUSH_SERVICE_ORIGINS. */
const VENDOR_PUSH_HOSTS = [
  /^fcm\.googleapis\.com$/,
  /^updates\.push\.services\.mozilla\.com$/,
  /^(web\.push|[a-z0-9-]+\.push)\.apple\.com$/,
  /^[a-z0-9-]+\.notify\.windows\.com$/,
];
/** Well under Firefox for Android's limit of about 3 kB. */
export const WAKEUP_PLAINTEXT_BYTES = 128;
/** Undelivered wake-ups are useless after a day: the person will have opened Hearth, or missed nothing new. */
const WAKEUP_TTL_SECONDS = 24 * 60 * 60;
const SEND_TIMEOUT_MS = 10_000;

/** Whether the server may send wake-ups to this subscription address. */
export function isAllowedPushEndpoint(endpoint: string): boolean {
  if (!URL.canParse(endpoint)) return false;
  const url = new URL(endpoint);
  if (url.username || url.password) return false;
  if (serverEnv().HEARTH_PUSH_SERVICE_ORIGINS.includes(url.origin)) return true;
  return url.protocol === "https:" && (url.port === "" || url.port === "443") && VENDOR_PUSH_HOSTS.some((host) => host.test(url.hostname));
}

/** The wake-up's plaintext: `{"v":1,"lang":…}` and spaces up to the fixed size. */
export function wakeupPlaintext(locale: string): Buffer {
  const json = JSON.stringify({ v: 1, lang: locale === "de" ? "de" : "en" });
  return Buffer.from(json.padEnd(WAKEUP_PLAINTEXT_BYTES, " "), "utf8");
}

/**
 * Wakes the recipient devices of a send that are due a wake-up (claimPushWakeups). Never throws:
 * a failed wake-up costs a notification, never a message.
 */
export async function wakeOfflineDevices(options: { devices: { deviceRowId: string; userId: string }[]; now?: Date }): Promise<void> {
  try {
    const targets = await claimPushWakeups({ purpose: "push_notifications", devices: options.devices, now: options.now });
    await Promise.all(targets.map(sendWakeup));
  } catch (error) {
    console.error("[push] waking devices failed:", error instanceof Error ? error.message : String(error));
  }
}

async function sendWakeup(target: PushTarget): Promise<void> {
  if (!isAllowedPushEndpoint(target.endpoint)) return;
  const request = webPush.generateRequestDetails(
    { endpoint: target.endpoint, keys: { p256dh: Buffer.from(target.p256dh).toString("base64url"), auth: Buffer.from(target.auth).toString("base64url") } },
    wakeupPlaintext(target.locale),
    // One topic: a push service keeps only the newest undelivered wake-up of a device.
    { vapidDetails: vapidKeys(), TTL: WAKEUP_TTL_SECONDS, contentEncoding: "aes128gcm", urgency: "high", topic: "hearth-new-message" },
  );
  try {
    const response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers,
      body: new Uint8Array(request.body),
      redirect: "error",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status === 404 || response.status === 410) {
      await forgetGonePushSubscription({ purpose: "push_notifications", id: target.id, endpoint: target.endpoint });
    } else if (!response.ok) {
      // The address is personal data: the log names only the answer.
      console.error(`[push] a push service answered ${response.status}`);
    }
  } catch (error) {
    console.error("[push] a push service could not be reached:", error instanceof Error ? error.name : "error");
  }
}
