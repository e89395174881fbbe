"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ConversationSummary } from "@/app/_chat/engine/types";
import { conversationHref } from "@/app/_chat/handle-segment";
import { Icon } from "@/app/_shared/ui/icons";
import { Avatar } from "@/app/_shared/ui/avatar";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
import { VerifiedMark } from "./verified-mark";

export function ConversationList({ conversations }: { conversations: readonly ConversationSummary[] }) {
  const t = useTranslations("chat");
  return (
    <ul className="chat-conversations" aria-label={t("conversationsLabel")} data-testid="conversation-list">
      {conversations.map((conversation) => (
        <ConversationItem key={conversation.id} conversation={conversation} />
      ))}
    </ul>
  );
}

function ConversationItem({ conversation }: { conversation: ConversationSummary }) {
  const t = useTranslations("chat");
  const { peer, lastMessage, unread, verified, identityChanged } = conversation;
  return (
    <li data-testid="conversation" data-handle={peer.handle} data-unread={unread}>
      <Link href={conversationHref(peer.handle)} className={unread > 0 ? "chat-conversation-link is-unread" : "chat-conversation-link"}>
        <Avatar person={peer} size="large" />
        <span className="chat-conversation-main">
          <span className="chat-conversation-top">
            <span className="chat-name">{peer.displayName}</span>
            {verified ? <VerifiedMark /> : null}
            {identityChanged ? (
              <span className="chat-key-changed" title={t("identityChangedShort")}>
                <Icon name="warning" />
                <span className="sr-only">{t("identityChangedShort")}</span>
              </span>
            ) : null}
            <span className="chat-handle">@{peer.handle}</span>
            {lastMessage ? (
              <span className="chat-conversation-time">
                <RelativeTime date={new Date(lastMessage.at)} />
              </span>
            ) : null}
          </span>
          <span className="chat-preview">
            {lastMessage ? (lastMessage.outgoing ? t("previewOutgoing", { body: lastMessage.body }) : lastMessage.body) : t("previewEmpty")}
          </span>
        </span>
        {unread > 0 ? (
          <span className="chat-unread" role="img" aria-label={t("unread", { count: unread })} data-testid="unread-count">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </Link>
    </li>
  );
}
