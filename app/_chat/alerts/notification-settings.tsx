"use client";
// Messages → Notifications: asks the browser's permission only when the person presses the button
// (never on load), and keeps their choices in this browser.
import { useTranslations } from "next-intl";
import { useId, useSyncExternalStore } from "react";
import { ChatPageHeader } from "../ui/chat-page-header";
import { PushSettings } from "./push-settings";
import {
  notificationPermission,
  notificationSettingsChanged,
  readNotificationPreferences,
  subscribeToNotificationSettings,
  writeNotificationPreferences,
  type NotificationPreferences,
} from "./notification-preferences";

// The server renders without the browser's permission or storage: nothing until mounted.
const onServer = () => null;

export function NotificationSettings() {
  const t = useTranslations("chat.notifications");
  const tChat = useTranslations("chat");
  const showTextId = useId();
  const permission = useSyncExternalStore(subscribeToNotificationSettings, notificationPermission, onServer);
  const preferences = useSyncExternalStore(subscribeToNotificationSettings, readNotificationPreferences, onServer) ?? { enabled: false, showText: false };

  const save = (next: NotificationPreferences) => writeNotificationPreferences(next);
  const turnOn = async () => {
    const answer = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
    if (answer === "granted") save({ ...preferences, enabled: true });
    else notificationSettingsChanged();
  };
  const on = permission === "granted" && preferences.enabled;

  return (
    <>
      <ChatPageHeader title={t("title")} back={{ href: "/chat", label: tChat("backToConversations") }} />
      <div className="chat-page-body" data-testid="notification-settings">
        <p>{t("intro")}</p>
        {permission === null ? null : permission === "unsupported" ? (
          <p role="status">{t("unsupported")}</p>
        ) : (
          <section className="chat-card" aria-labelledby="notifications-state">
            <h2 id="notifications-state">{on ? t("on") : t("off")}</h2>
            {permission === "denied" ? <p className="chat-warning">{t("denied")}</p> : null}
            <div>
              {on ? (
                <button type="button" className="button" onClick={() => save({ ...preferences, enabled: false })}>
                  {t("turnOff")}
                </button>
              ) : (
                <button type="button" className="button button-primary" onClick={() => void turnOn()} disabled={permission === "denied"}>
                  {t("turnOn")}
                </button>
              )}
            </div>
            <div className="field-checkbox">
              <input
                id={showTextId}
                type="checkbox"
                checked={preferences.showText}
                aria-describedby={`${showTextId}-hint`}
                onChange={(event) => save({ ...preferences, showText: event.target.checked })}
              />
              <label htmlFor={showTextId}>{t("showText")}</label>
            </div>
            <p className="muted" id={`${showTextId}-hint`}>
              {t("showTextHint")}
            </p>
            <p className="muted">{t("savedHere")}</p>
          </section>
        )}
        {permission === null ? null : <PushSettings />}
      </div>
    </>
  );
}
