"use client";
// The conversations, latest activity first, with a search over this browser's messages and ways to
// start a new conversation or a new group: /chat on a phone, the list pane beside the open
// conversation on a wide screen (conversation-panes.tsx).
import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { Icon } from "@/app/_shared/ui/icons";
import { ChatPageHeader } from "./chat-page-header";
import { ConnectionBanner } from "./connection-banner";
import { HistoryTransferBanner } from "./history-transfer-banner";
import { ConversationList } from "./conversation-list";
import { MessageSearch } from "./message-search";
import { GroupIcon } from "./group-avatar";

// Loaded when first opened: the conversation list's first load carries neither dialog.
const NewMessageDialog = dynamic(() => import("./new-message-dialog").then((m) => m.NewMessageDialog), { ssr: false });
const NewGroupDialog = dynamic(() => import("./new-group-dialog").then((m) => m.NewGroupDialog), { ssr: false });

export function ChatHome({
  beside = false,
}: {
  /** Shown beside an open conversation, which has the page's h1 and the connection's banners. */ beside?: boolean;
}) {
  const t = useTranslations("chat");
  const { conversations, requests } = useChatSnapshot();
  const [composing, setComposing] = useState(false);
  const [creatingGroup, setCreatingGroup] = useState(false);
  const [query, setQuery] = useState("");
  // Beside a conversation the list stays mounted: a dialog that opened a conversation or a group
  // closes with the move to it. (Adjusting state from the previous render rather than in an effect.)
  const pathname = usePathname();
  const [dialogsAt, setDialogsAt] = useState(pathname);
  if (dialogsAt !== pathname) {
    setDialogsAt(pathname);
    setComposing(false);
    setCreatingGroup(false);
  }
  const searching = query.trim().length > 0;
  return (
    <>
      <ChatPageHeader title={t("title")} level={beside ? 2 : 1}>
        <button
          type="button"
          className="button button-quiet button-small chat-new"
          onClick={() => setCreatingGroup(true)}
          title={t("newGroup")}
          data-testid="new-group-button"
        >
          <GroupIcon />
          <span className="chat-new-label">{t("newGroup")}</span>
        </button>
        <button type="button" className="button button-primary button-small chat-new" onClick={() => setComposing(true)} title={t("newMessage")}>
          <Icon name="feather" />
          <span className="chat-new-label">{t("newMessage")}</span>
        </button>
      </ChatPageHeader>
      {beside ? null : (
        <>
          <ConnectionBanner />
          <HistoryTransferBanner />
        </>
      )}
      <nav className="chat-subnav" aria-label={t("settingsNav")}>
        <Link href="/chat/devices">{t("devicesLink")}</Link>
        <Link href="/chat/backup">{t("backupLink")}</Link>
        <Link href="/chat/notifications">{t("notificationsLink")}</Link>
        <Link href="/chat/settings">{t("chatSettingsLink")}</Link>
      </nav>
      <MessageSearch query={query} onQueryChange={setQuery} />
      {!searching && requests.length > 0 ? (
        <Link href="/chat/requests" className="chat-requests-entry" data-testid="requests-entry" data-count={requests.length}>
          <Icon name="message" />
          <span>{t("requests.entry", { count: requests.length })}</span>
        </Link>
      ) : null}
      {searching ? null : conversations.length > 0 ? (
        <ConversationList conversations={conversations} />
      ) : (
        <div className="empty-state-block" data-testid="conversations-empty">
          <Icon name="message" className="empty-state-icon" />
          <h2>{t("emptyTitle")}</h2>
          <p className="muted">{t("emptyBody")}</p>
          <button type="button" className="button button-primary" onClick={() => setComposing(true)}>
            {t("newMessage")}
          </button>
        </div>
      )}
      {composing ? <NewMessageDialog onClose={() => setComposing(false)} /> : null}
      {creatingGroup ? <NewGroupDialog onClose={() => setCreatingGroup(false)} /> : null}
    </>
  );
}
