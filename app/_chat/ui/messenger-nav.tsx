"use client";
// Messages' navigation: the conversations (with the unread count), message requests (with how
// many wait), and this browser's devices, backup, notifications and chat settings.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { unreadTotal } from "@/app/_chat/alerts/unread";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { Icon, type IconName } from "@/app/_shared/ui/icons";

interface NavItem {
  href: string;
  label: string;
  icon: IconName;
  testId: string;
  current: boolean;
  badge?: { count: number; text: string };
}

/** The pages of Messages that are not a conversation; everything else under /chat is one. */
const SECTIONS = ["/chat/requests", "/chat/devices", "/chat/backup", "/chat/notifications", "/chat/settings"];

export function MessengerNav() {
  const t = useTranslations("chat.shell");
  const pathname = usePathname();
  const snapshot = useChatSnapshot();
  const unread = unreadTotal(snapshot);
  const waiting = snapshot.requests.length;
  const inSection = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  const items: NavItem[] = [
    {
      href: "/chat",
      label: t("conversations"),
      icon: "message",
      testId: "chat-nav-conversations",
      current: !SECTIONS.some(inSection),
      badge: { count: unread, text: t("unreadCount", { count: unread }) },
    },
    {
      href: "/chat/requests",
      label: t("requests"),
      icon: "send",
      testId: "chat-nav-requests",
      current: inSection("/chat/requests"),
      badge: { count: waiting, text: t("waitingCount", { count: waiting }) },
    },
    { href: "/chat/devices", label: t("devices"), icon: "lock", testId: "chat-nav-devices", current: inSection("/chat/devices") },
    { href: "/chat/backup", label: t("backup"), icon: "history", testId: "chat-nav-backup", current: inSection("/chat/backup") },
    { href: "/chat/notifications", label: t("notifications"), icon: "bell", testId: "chat-nav-notifications", current: inSection("/chat/notifications") },
    { href: "/chat/settings", label: t("settings"), icon: "settings", testId: "chat-nav-settings", current: inSection("/chat/settings") },
  ];
  return (
    <nav aria-label={t("navigation")} className="primary-nav messenger-nav">
      <ul>
        {items.map((item) => (
          <li key={item.href} className="primary-nav-item">
            <Link href={item.href} data-testid={item.testId} aria-current={item.current ? "page" : undefined} className="primary-nav-link">
              <span className="primary-nav-icon">
                <Icon name={item.icon} />
                {item.badge?.count ? (
                  <span className="nav-badge" aria-hidden="true">
                    {item.badge.count > 99 ? "99+" : item.badge.count}
                  </span>
                ) : null}
              </span>
              <span className="primary-nav-label">{item.label}</span>
              {item.badge?.count ? <span className="sr-only">{item.badge.text}</span> : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
