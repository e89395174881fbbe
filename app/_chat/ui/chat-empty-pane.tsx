"use client";
// The pane beside the list on a wide screen while no conversation is open: what to do next.
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { Icon } from "@/app/_shared/ui/icons";

const NewMessageDialog = dynamic(() => import("./new-message-dialog").then((m) => m.NewMessageDialog), { ssr: false });

export function ChatEmptyPane({ list }: { list: "conversations" | "requests" }) {
  const t = useTranslations("chat.panes");
  const tChat = useTranslations("chat");
  const [composing, setComposing] = useState(false);
  const { conversations, requests } = useChatSnapshot();
  // No request to choose: the list beside says so.
  if (list === "requests" && requests.length === 0) return null;
  // No conversation to choose: the list beside says so and has the one New message button (read
  // first, it is where the page's heading is); this pane only says where a conversation will show.
  if (list === "conversations" && conversations.length === 0) {
    return (
      <div className="empty-state-block chat-empty-pane" data-testid="chat-empty-pane">
        <Icon name="message" className="empty-state-icon" />
        <p className="muted">{t("noConversationsBody")}</p>
      </div>
    );
  }
  return (
    <div className="empty-state-block chat-empty-pane" data-testid="chat-empty-pane">
      <Icon name="message" className="empty-state-icon" />
      {list === "conversations" ? (
        <>
          <h2>{t("emptyTitle")}</h2>
          <p className="muted">{t("emptyBody")}</p>
          <button type="button" className="button button-primary" onClick={() => setComposing(true)}>
            {tChat("newMessage")}
          </button>
          {composing ? <NewMessageDialog onClose={() => setComposing(false)} /> : null}
        </>
      ) : (
        <>
          <h2>{t("requestsEmptyTitle")}</h2>
          <p className="muted">{t("requestsEmptyBody")}</p>
        </>
      )}
    </div>
  );
}
