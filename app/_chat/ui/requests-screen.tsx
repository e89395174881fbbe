"use client";
// /chat/requests: message requests, latest first: first messages from people this person does not
// follow, and groups such people added them to. Each opens as its conversation, with the request bar
// (on a wide screen beside this list, conversation-panes.tsx).
import { useTranslations } from "next-intl";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { Icon } from "@/app/_shared/ui/icons";
import { ChatPageHeader } from "./chat-page-header";
import { ConnectionBanner } from "./connection-banner";
import { ConversationList } from "./conversation-list";

export function RequestsScreen({
  beside = false,
}: {
  /** Shown beside an open request, which has the page's h1 and the connection's banner. */ beside?: boolean;
}) {
  const t = useTranslations("chat");
  const { requests } = useChatSnapshot();
  return (
    <>
      <ChatPageHeader title={t("requests.title")} back={{ href: "/chat", label: t("backToConversations") }} level={beside ? 2 : 1} />
      {beside ? null : <ConnectionBanner />}
      <p className="chat-requests-intro muted">{t("requests.intro")}</p>
      {requests.length > 0 ? (
        <ConversationList conversations={requests} label={t("requests.listLabel")} testId="request-list" />
      ) : (
        <div className="empty-state-block" data-testid="requests-empty">
          <Icon name="message" className="empty-state-icon" />
          <h2>{t("requests.emptyTitle")}</h2>
          <p className="muted">{t("requests.emptyBody")}</p>
        </div>
      )}
    </>
  );
}
