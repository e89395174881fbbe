// The conversation list and what it opens (/chat, a conversation, a group, the requests): on a wide
// screen side by side, the list kept while conversations change beside it (conversation-panes.tsx).
import type { ReactNode } from "react";
import { ConversationPanes } from "@/app/_chat/ui/conversation-panes";

export default function ConversationsLayout({ children }: { children: ReactNode }) {
  return <ConversationPanes>{children}</ConversationPanes>;
}
