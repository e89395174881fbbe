import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ChatEmptyPane } from "@/app/_chat/ui/chat-empty-pane";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("requests.title") };
}

/** The requests are listed by the layout; beside them, on a wide screen, this waits for one to be opened. */
export default function RequestsPage() {
  return <ChatEmptyPane list="requests" />;
}
