"use client";
// Tells the person about new messages wherever they are in Hearth: the unread count in the tab's
// title, a quiet notice on the page when a message arrives outside the conversation on screen, and
// (if they allowed it in Messages → Notifications) a system notification while this tab is in the
// background, without the message's text unless they turned that on; a call ringing too (its
// banner shows on every page). Renders nothing itself.
import { usePathname, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { useToast } from "@/app/_shared/ui/toast";
import { useCalls, useChatSnapshot } from "../engine/chat-engine-provider";
import type { ChatSnapshot } from "../engine/types";
import type { OpenConversation } from "../handle-segment";
import { newArrivals, showsConversation, type Arrival } from "./arrivals";
import { readNotificationPreferences, systemNotificationsAllowed } from "./notification-preferences";
import { titleWithUnread, unreadTotal } from "./unread";

export function ChatAlerts() {
  const t = useTranslations("chat.alerts");
  const snapshot = useChatSnapshot();
  const pathname = usePathname();
  const router = useRouter();
  const toast = useToast();
  useUnreadTitle(unreadTotal(snapshot));
  useRingingNotifications();

  // The notice on screen, taken away as soon as its conversation is (the notice's link, the list beside, any link).
  const notice = useRef<{ conversation: OpenConversation; dismiss: () => void } | null>(null);
  useEffect(() => {
    if (!notice.current || !showsConversation(pathname, notice.current.conversation)) return;
    notice.current.dismiss();
    notice.current = null;
  }, [pathname]);

  const previous = useRef<ChatSnapshot | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = snapshot;
    // Only changes while running count: the first snapshot after start brings the whole list.
    if (before?.status.kind !== "ready" || snapshot.status.kind !== "ready" || before.conversations === snapshot.conversations) return;
    for (const arrival of newArrivals(before.conversations, snapshot.conversations)) {
      const title = arrival.groupName ? t("newGroupMessage", { name: arrival.from, group: arrival.groupName }) : t("newMessage", { name: arrival.from });
      if (document.visibilityState === "visible") {
        if (!showsConversation(pathname, arrival.conversation)) {
          notice.current = { conversation: arrival.conversation, dismiss: toast({ message: title, link: { href: arrival.href, label: t("open") } }) };
        }
      } else if (systemNotificationsAllowed()) {
        showSystemNotification(
          arrival,
          title,
          readNotificationPreferences().showText ? textOf(arrival, t("files", { count: arrival.attachments })) : t("hiddenBody"),
          (href) => router.push(href),
        );
      }
    }
  }, [snapshot, pathname, router, toast, t]);
  return null;
}

function textOf(arrival: Arrival, files: string): string {
  if (!arrival.attachments) return arrival.body;
  return arrival.body ? `${arrival.body} (${files})` : files;
}

function showSystemNotification(arrival: Arrival, title: string, body: string, open: (href: string) => void): void {
  try {
    // One notification per conversation: a newer message replaces it, and other hidden tabs of
    // this person that announce the same message replace it too instead of adding their own.
    const notification = new Notification(title, { body, tag: `hearth-chat:${arrival.conversationId}` });
    notification.onclick = () => {
      window.focus();
      open(arrival.href);
      notification.close();
    };
  } catch {
    // Some browsers (Android Chrome) allow notifications only from a service worker: the page's notice remains.
  }
}

/** A system notification for each call that starts ringing while this tab is in the background (one per call across tabs: its tag). */
function useRingingNotifications(): void {
  const t = useTranslations("chat.calls");
  const { incoming } = useCalls();
  const announced = useRef(new Set<string>());
  useEffect(() => {
    for (const call of incoming) {
      if (call.state !== "ringing" || announced.current.has(call.callId)) continue;
      announced.current.add(call.callId);
      if (document.visibilityState === "visible" || !systemNotificationsAllowed()) continue;
      const name = call.caller.displayName || (call.caller.handle ? `@${call.caller.handle}` : t("someone"));
      const title = call.group ? t("incomingGroup", { kind: call.kind, name, group: call.group.name }) : t("incoming", { kind: call.kind, name });
      try {
        const notification = new Notification(title, { tag: `hearth-call:${call.callId}` });
        notification.onclick = () => {
          window.focus();
          notification.close();
        };
      } catch {
        // Only a service worker may notify in some browsers: the banner on the page remains.
      }
    }
  }, [incoming, t]);
}

/** Keeps "(n) " in front of the tab's title, also when a navigation sets a new one. */
function useUnreadTitle(count: number): void {
  useEffect(() => {
    const apply = () => {
      const next = titleWithUnread(document.title, count);
      if (next !== document.title) document.title = next;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = titleWithUnread(document.title, 0);
    };
  }, [count]);
}
