import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ChatHome } from "@/app/_chat/ui/chat-home";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("title") };
}

export default function ChatPage() {
  return <ChatHome />;
}
