import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ChatSettingsScreen } from "@/app/_chat/ui/chat-settings-screen";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("chatSettings.title") };
}

export default function ChatSettingsPage() {
  return <ChatSettingsScreen />;
}
