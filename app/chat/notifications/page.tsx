import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NotificationSettings } from "@/app/_chat/alerts/notification-settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("notifications.title") };
}

export default function NotificationsPage() {
  return <NotificationSettings />;
}
