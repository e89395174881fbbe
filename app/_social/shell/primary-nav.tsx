"use client";
// The main navigation: a column on wide screens, a bar along the bottom on phones. The
// notifications link carries the unread count, polled every 30 seconds after first paint; Messages
// carries the private messages' unread count, live from this browser's chat engine.
import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useChatUnreadCount } from "@/app/_chat/alerts/use-chat-unread-count";
import { useUnreadNotifications } from "../notifications/unread-notifications";
import { profileHref } from "../people/profile-href";

const UnreadNotificationsPoller = dynamic(() => import("../notifications/unread-notifications-poller").then((m) => m.UnreadNotificationsPoller), {
  ssr: false,
});

export type NavIcon = "home" | "search" | "bell" | "message" | "bookmark" | "user" | "settings";

/** `icons`: drawn by the server, so that the icons' paths are not part of every page's first load. */
export function PrimaryNav({ handle, icons }: { handle: string; icons: Record<NavIcon, ReactNode> }) {
  const t = useTranslations("nav");
  const pathname = decodePath(usePathname());
  const unreadMessages = useChatUnreadCount();
  const unread = useUnreadNotifications();
  const ownProfile = profileHref(handle);

  const items: { href: string; label: string; icon: NavIcon; current: boolean; badge?: number }[] = [
    { href: "/", label: t("home"), icon: "home", current: pathname === "/" },
    { href: "/search", label: t("search"), icon: "search", current: pathname.startsWith("/search") },
    { href: "/notifications", label: t("notifications"), icon: "bell", current: pathname.startsWith("/notifications"), badge: unread },
    { href: "/chat", label: t("messages"), icon: "message", current: pathname === "/chat" || pathname.startsWith("/chat/"), badge: unreadMessages },
    { href: "/bookmarks", label: t("bookmarks"), icon: "bookmark", current: pathname === "/bookmarks" },
    { href: ownProfile, label: t("profile"), icon: "user", current: pathname === ownProfile },
    { href: "/settings", label: t("settings"), icon: "settings", current: pathname.startsWith("/settings") },
  ];

  return (
    <nav aria-label={t("mainNavigation")} className="primary-nav">
      <UnreadNotificationsPoller />
      <ul>
        {items.map((item) => (
          <li key={item.href} className={`primary-nav-item primary-nav-${item.icon}`}>
            <Link href={item.href} data-testid={`nav-${item.icon}`} aria-current={item.current ? "page" : undefined} className="primary-nav-link">
              <span className="primary-nav-icon">
                {icons[item.icon]}
                {item.badge ? (
                  <span className="nav-badge" aria-hidden="true">
                    {item.badge > 99 ? "99+" : item.badge}
                  </span>
                ) : null}
              </span>
              <span className="primary-nav-label">{item.label}</span>
              {item.badge ? <span className="sr-only">{t("unreadCount", { count: item.badge })}</span> : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
