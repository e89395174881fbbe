"use client";
// /chat/group/<id>: a group's conversation: its name and member count, the way to its details,
// the messages and the composer. After leaving or being removed the messages stay readable, and a
// banner and the closed composer say why nothing more can be sent.
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { GroupConversationSummary } from "@/app/_chat/engine/types";
import { groupDetailsHref } from "@/app/_chat/handle-segment";
import { CallButtons } from "@/app/_chat/calls/ui/call-buttons";
import { ChatPageHeader } from "./chat-page-header";
import { ConnectionBanner } from "./connection-banner";
import { DisappearingTimerControl } from "./disappearing-timer-control";
import { ComposerModeProvider } from "./composer-mode";
import { MessageComposer } from "./message-composer";
import { GroupNotFound } from "./group-not-found";
import { MembershipBanner } from "./membership-banner";
import { MessageList } from "./message-list";
import { TypingLine } from "./typing-line";
import { RequestBar } from "./request-bar";
import { useGroup } from "./use-group";
import { useMarkRead } from "./use-mark-read";

export function GroupConversationScreen({ groupId, focusMessageId }: { groupId: string; focusMessageId: string | null }) {
  const summary = useGroup(groupId);
  if (!summary) return <GroupNotFound />;
  return <OpenGroup summary={summary} focusMessageId={focusMessageId} />;
}

function OpenGroup({ summary, focusMessageId }: { summary: GroupConversationSummary; focusMessageId: string | null }) {
  const t = useTranslations("chat");
  const { group } = summary;
  useMarkRead(group.id, summary.unread);
  const { request } = summary;
  const closedReason = group.membership === "removed" ? t("group.composerClosedRemoved") : group.membership === "left" ? t("group.composerClosedLeft") : null;
  return (
    <div className="chat-conversation fills-viewport" data-testid="group-conversation" data-group-id={group.id} data-membership={group.membership}>
      <ChatPageHeader
        title={group.name}
        subtitle={t("group.memberCount", { count: group.members.length })}
        back={request ? { href: "/chat/requests", label: t("requests.backToRequests") } : { href: "/chat", label: t("backToConversations") }}
      >
        {request ? null : <DisappearingTimerControl conversationId={group.id} seconds={summary.disappearingSeconds} disabled={group.membership !== "member"} />}
        <CallButtons conversationId={group.id} unavailable={group.membership !== "member" || request !== null} />
        <Link href={groupDetailsHref(group.id)} className="button button-quiet button-small" data-testid="group-details-link">
          {t("group.details")}
        </Link>
      </ChatPageHeader>
      <ConnectionBanner />
      <MembershipBanner membership={group.membership} />
      <ComposerModeProvider key={group.id}>
        <MessageList conversationId={group.id} conversation={{ kind: "group", group }} focusMessageId={focusMessageId} />
        <TypingLine conversationId={group.id} />
        {request ? (
          <RequestBar conversationId={group.id} from={request} kind="group" />
        ) : (
          <MessageComposer conversationId={group.id} closedReason={closedReason} />
        )}
      </ComposerModeProvider>
    </div>
  );
}
