"use client";
// The conversation list and the open conversation. On a wide screen side by side, as in desktop
// messengers: the list stays (scrolled where it was, its search kept) while conversations change
// beside it, and marks the open one; a request is opened beside the requests. On a phone one at a
// time, as before: the list at /chat, the conversation over it, and its own way back.
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type MouseEvent, type ReactNode } from "react";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { isOpenConversation, openConversationFromPath } from "@/app/_chat/handle-segment";
import { ChatHome } from "./chat-home";
import { createPaneFocus, PaneFocusContext } from "./pane-focus";
import { RequestsScreen } from "./requests-screen";
import { useWideScreen } from "./use-wide-screen";

/** The links in the list pane that open a conversation (the list's and the search's). */
const OPENS_CONVERSATION = 'a[href^="/chat/@"], a[href^="/chat/group/"]';

export function ConversationPanes({ children }: { children: ReactNode }) {
  const t = useTranslations("chat.panes");
  const pathname = usePathname();
  const wide = useWideScreen();
  const { requests } = useChatSnapshot();
  const [paneFocus] = useState(createPaneFocus);
  const open = openConversationFromPath(pathname);
  const amongRequests = pathname === "/chat/requests" || requests.some((request) => isOpenConversation(open, request));

  if (!wide) {
    if (open) return children;
    return amongRequests ? <RequestsScreen /> : <ChatHome />;
  }
  const beside = open !== null;
  const askFocus = (event: MouseEvent) => {
    if (event.target instanceof Element && event.target.closest(OPENS_CONVERSATION)) paneFocus.ask();
  };
  return (
    <div className="chat-panes" data-testid="chat-panes">
      {/* A click or Enter on a conversation's link (a click event either way) opens it beside. */}
      <section className="chat-list-pane" aria-label={amongRequests ? t("requestsPane") : t("listPane")} onClick={askFocus} data-testid="chat-list-pane">
        {amongRequests ? <RequestsScreen beside={beside} /> : <ChatHome beside={beside} />}
      </section>
      <div className="chat-open-pane" data-testid="chat-open-pane">
        <PaneFocusContext value={paneFocus}>{children}</PaneFocusContext>
      </div>
    </div>
  );
}
