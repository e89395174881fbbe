// The person's choices for system notifications on this device (kept in this browser only, as the
// browser's permission is): whether to show them, and whether they may show the message's text
// (off unless turned on: a notification can be read over a shoulder or on a locked screen).
export interface NotificationPreferences {
  enabled: boolean;
  showText: boolean;
}

const KEY = "hearth-chat-notifications";
const DEFAULTS: NotificationPreferences = { enabled: false, showText: false };

const listeners = new Set<() => void>();
let cached: { raw: string | null; preferences: NotificationPreferences } = { raw: null, preferences: DEFAULTS };

/** For useSyncExternalStore: changes made here, in other tabs (the storage event) and to the permission. */
export function subscribeToNotificationSettings(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export function notificationSettingsChanged(): void {
  listeners.forEach((listener) => listener());
}

/** The stored choices (the same object until they change). */
export function readNotificationPreferences(): NotificationPreferences {
  const raw = localStorage.getItem(KEY);
  if (raw !== cached.raw) cached = { raw, preferences: parse(raw) };
  return cached.preferences;
}

function parse(raw: string | null): NotificationPreferences {
  try {
    const stored: unknown = JSON.parse(raw ?? "null");
    if (typeof stored !== "object" || stored === null) return DEFAULTS;
    const { enabled, showText } = stored as Record<string, unknown>;
    return { enabled: enabled === true, showText: showText === true };
  } catch {
    return DEFAULTS;
  }
}

export function writeNotificationPreferences(preferences: NotificationPreferences): void {
  localStorage.setItem(KEY, JSON.stringify(preferences));
  notificationSettingsChanged();
}

/** The browser's answer so far, or "unsupported" without the Notification API. */
export function notificationPermission(): NotificationPermission | "unsupported" {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** System notifications can show: the browser has the API and the person allowed them here. */
export function systemNotificationsAllowed(): boolean {
  return notificationPermission() === "granted" && readNotificationPreferences().enabled;
}
