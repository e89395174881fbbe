"use client";
// /chat/@handle: the conversation with one person: header, key-change warning, messages, composer.
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ChatPerson, DirectConversationSummary } from "@/app/_chat/engine/types";
import { safetyNumberHref } from "@/app/_chat/handle-segment";
import { Icon } from "@/app/_shared/ui/icons";
import { CallButtons } from "@/app/_chat/calls/ui/call-buttons";
import { ChatPageHeader } from "./chat-page-header";
import { ConnectionBanner } from "./connection-banner";
import { DisappearingTimerControl } from "./disappearing-timer-control";
import { HistoryTransferBanner } from "./history-transfer-banner";
import { VerifiedMark } from "./verified-mark";
import { IdentityChangedBanner } from "./identity-changed-banner";
import { ComposerModeProvider } from "./composer-mode";
import { MessageComposer } from "./message-composer";
import { MessageList } from "./message-list";
import { TypingLine } from "./typing-line";
import { RequestBar } from "./request-bar";
import { useChatErrorText } from "./use-chat-error-text";
import { useMarkRead } from "./use-mark-read";
import { useOpenedPeer } from "./use-opened-peer";

export function ConversationScreen({ handle, focusMessageId }: { handle: string; focusMessageId: string | null }) {
  const t = useTranslations("chat");
  const opened = useOpenedPeer(handle);
  if (opened.kind === "error") return <ConversationError handle={handle} code={opened.code} onRetry={opened.final ? null : opened.retry} />;
  if (opened.kind === "loading") {
    return (
      <div className="chat-conversation fills-viewport">
        <ChatPageHeader title={`@${handle}`} back={{ href: "/chat", label: t("backToConversations") }} />
        <div className="chat-gate" aria-busy="true">
          <span className="chat-spinner" aria-hidden="true" />
          <p role="status">{t("opening")}</p>
        </div>
      </div>
    );
  }
  return <OpenConversation peer={opened.peer} summary={opened.summary} focusMessageId={focusMessageId} />;
}

function OpenConversation({ peer, summary, focusMessageId }: { peer: ChatPerson; summary: DirectConversationSummary | null; focusMessageId: string | null }) {
  const t = useTranslations("chat");
  const conversationId = peer.userId;
  useMarkRead(conversationId, summary?.unread ?? 0);
  const request = summary?.request ?? null;

  return (
    <div className="chat-conversation fills-viewport" data-testid="conversation-view" data-handle={peer.handle}>
      <ChatPageHeader
        title={
          <>
            {peer.displayName}
            {summary?.verified ? <VerifiedMark /> : null}
          </>
        }
        subtitle={`@${peer.handle}`}
        back={request ? { href: "/chat/requests", label: t("requests.backToRequests") } : { href: "/chat", label: t("backToConversations") }}
      >
        {/* A timer or a call from a request would tell its sender this person is there. */}
        {request ? null : <DisappearingTimerControl conversationId={conversationId} seconds={summary?.disappearingSeconds ?? 0} />}
        {request ? null : <CallButtons conversationId={conversationId} />}
        <Link href={safetyNumberHref(peer.handle)} className="button button-quiet button-small">
          {t("safetyNumber")}
        </Link>
      </ChatPageHeader>
      <ConnectionBanner />
      <HistoryTransferBanner />
      {summary?.identityChanged ? <IdentityChangedBanner peer={peer} /> : null}
      <ComposerModeProvider key={conversationId}>
        <MessageList conversationId={conversationId} conversation={{ kind: "direct", peer }} focusMessageId={focusMessageId} />
        <TypingLine conversationId={conversationId} />
        {request ? <RequestBar conversationId={conversationId} from={request} kind="direct" /> : <MessageComposer conversationId={conversationId} />}
      </ComposerModeProvider>
    </div>
  );
}

function ConversationError({ handle, code, onRetry }: { handle: string; code: string; onRetry: (() => void) | null }) {
  const t = useTranslations("chat");
  const errorText = useChatErrorText();
  return (
    <>
      <ChatPageHeader title={`@${handle}`} back={{ href: "/chat", label: t("backToConversations") }} />
      <div className="empty-state-block" data-testid="conversation-error" data-code={code}>
        <Icon name={code === "chat_blocked" ? "block" : "warning"} className="empty-state-icon" />
        <h2>
          {code === "chat_person_not_found" ? t("notFoundTitle", { handle }) : code === "chat_blocked" ? t("blockedTitle", { handle }) : t("openFailedTitle")}
        </h2>
        <p className="muted" role="alert">
          {errorText(code)}
        </p>
        <div className="chat-actions chat-actions-center">
          {onRetry ? (
            <button type="button" className="button button-primary" onClick={onRetry}>
              {t("tryAgain")}
            </button>
          ) : null}
          <Link href="/chat" className="button button-quiet">
            {t("backToConversations")}
          </Link>
        </div>
      </div>
    </>
  );
}
