"use client";
// The conversations on /chat (and the message requests on /chat/requests): with one person (name,
// handle, verification) or a group (its name and picture), each with its last line and unread count.
// The open conversation is marked (aria-current), and the arrow keys, Home and End move between them.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { KeyboardEvent } from "react";
import type { ConversationSummary, DirectConversationSummary, GroupConversationSummary, LastMessageView } from "@/app/_chat/engine/types";
import { conversationHref, groupHref, isOpenConversation, openConversationFromPath } from "@/app/_chat/handle-segment";
import { Icon } from "@/app/_shared/ui/icons";
import { Avatar } from "@/app/_shared/ui/avatar";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
import { GroupAvatar } from "./group-avatar";
import { VerifiedMark } from "./verified-mark";

export function ConversationList({
  conversations,
  label,
  testId = "conversation-list",
}: {
  conversations: readonly ConversationSummary[];
  /** The list's accessible name ("Conversations" by default). */
  label?: string;
  testId?: string;
}) {
  const t = useTranslations("chat");
  const pathname = usePathname();
  const open = openConversationFromPath(pathname);
  const here = safeDecode(pathname).toLowerCase();
  /** "page" on the conversation's own address, "true" on its safety number or details page. */
  const current = (conversation: ConversationSummary): Current => {
    if (!isOpenConversation(open, conversation)) return undefined;
    return here === (conversation.kind === "group" ? groupHref(conversation.group.id) : conversationHref(conversation.peer.handle)) ? "page" : "true";
  };
  return (
    <ul className="chat-conversations" aria-label={label ?? t("conversationsLabel")} data-testid={testId} onKeyDown={moveBetweenConversations}>
      {conversations.map((conversation) =>
        conversation.kind === "group" ? (
          <GroupItem key={conversation.id} conversation={conversation} current={current(conversation)} />
        ) : (
          <DirectItem key={conversation.id} conversation={conversation} current={current(conversation)} />
        ),
      )}
    </ul>
  );
}

const MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (index, count) => Math.min(index + 1, count - 1),
  ArrowUp: (index) => Math.max(index - 1, 0),
  Home: () => 0,
  End: (_, count) => count - 1,
};

/** Up, Down, Home and End move the focus from one conversation's link to another's (Tab leaves the list as ever). */
function moveBetweenConversations(event: KeyboardEvent<HTMLUListElement>) {
  const move = MOVES[event.key];
  if (!move || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>(".chat-conversation-link")];
  const index = links.indexOf(event.target as HTMLAnchorElement);
  if (index < 0) return;
  event.preventDefault();
  links[move(index, links.length)]?.focus();
}

type Current = "page" | "true" | undefined;

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function DirectItem({ conversation, current }: { conversation: DirectConversationSummary; current: Current }) {
  const t = useTranslations("chat");
  const { peer, lastMessage, unread, verified, identityChanged } = conversation;
  return (
    <li data-testid="conversation" data-kind="direct" data-handle={peer.handle} data-unread={unread}>
      <Link href={conversationHref(peer.handle)} className={unread > 0 ? "chat-conversation-link is-unread" : "chat-conversation-link"} aria-current={current}>
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
            <LastTime lastMessage={lastMessage} />
          </span>
          <LastLine lastMessage={lastMessage} />
        </span>
        <UnreadCount unread={unread} />
      </Link>
    </li>
  );
}

function GroupItem({ conversation, current }: { conversation: GroupConversationSummary; current: Current }) {
  const t = useTranslations("chat");
  const { group, lastMessage, unread } = conversation;
  return (
    <li data-testid="conversation" data-kind="group" data-group-id={group.id} data-unread={unread}>
      <Link href={groupHref(group.id)} className={unread > 0 ? "chat-conversation-link is-unread" : "chat-conversation-link"} aria-current={current}>
        <GroupAvatar group={group} />
        <span className="chat-conversation-main">
          <span className="chat-conversation-top">
            <span className="chat-name">{group.name}</span>
            <span className="sr-only">, {t("group.kindLabel")}</span>
            <LastTime lastMessage={lastMessage} />
          </span>
          <LastLine lastMessage={lastMessage} />
        </span>
        <UnreadCount unread={unread} />
      </Link>
    </li>
  );
}

function LastTime({ lastMessage }: { lastMessage: LastMessageView | null }) {
  if (!lastMessage) return null;
  return (
    <span className="chat-conversation-time">
      <RelativeTime date={new Date(lastMessage.at)} />
    </span>
  );
}

/** "You: …", "Alice: …" (in a group) or the text alone; files in words ("2 files"), a clip beside. */
function LastLine({ lastMessage }: { lastMessage: LastMessageView | null }) {
  const t = useTranslations("chat");
  if (!lastMessage) return <span className="chat-preview">{t("previewEmpty")}</span>;
  const { body, outgoing, senderName, attachments, deleted } = lastMessage;
  if (deleted)
    return (
      <span className="chat-preview is-deleted" data-testid="conversation-preview">
        {t("actions.deleted")}
      </span>
    );
  const files = attachments > 0 ? t("previewFiles", { count: attachments }) : null;
  const text = body && files ? t("previewBodyWithFiles", { files, body }) : body || files || "";
  return (
    <span className="chat-preview" data-testid="conversation-preview">
      {files ? <span aria-hidden="true">📎 </span> : null}
      {outgoing ? t("previewOutgoing", { body: text }) : senderName ? t("previewSender", { name: senderName, body: text }) : text}
    </span>
  );
}

function UnreadCount({ unread }: { unread: number }) {
  const t = useTranslations("chat");
  if (unread <= 0) return null;
  return (
    <span className="chat-unread" role="img" aria-label={t("unread", { count: unread })} data-testid="unread-count">
      {unread > 99 ? "99+" : unread}
    </span>
  );
}
