import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ChatEmptyPane } from "@/app/_chat/ui/chat-empty-pane";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("title") };
}

/** The list itself is the layout's; beside it, on a wide screen, this waits for a conversation. */
export default function ChatPage() {
  return <ChatEmptyPane list="conversations" />;
}
