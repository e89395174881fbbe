"use client";
// One conversation's messages, virtualized: only the rows near the viewport are in the DOM, so ten
// thousand messages scroll as smoothly as ten. It opens at the newest message (or at a search hit),
// follows new messages while the reader is at the bottom and otherwise offers a "New messages"
// pill, and loads older pages near the top without moving what the reader is looking at (the
// virtualizer anchors to the end: prepended rows shift the scroll position by their height).
//
// Screen readers: the rows come and go while scrolling, so the list itself is not a live region;
// a separate, visually hidden log announces only the newest incoming message.
//
// The same list shows a conversation with one person and a group; in a group, incoming messages
// name their sender (once per run), our own say to how many members they were delivered, and the
// group's changes appear as notices. A message's files show under its text (attachment-list.tsx).
import { CallNoticeLine, isCallNotice } from "@/app/_chat/calls/ui/call-notice-line";
import { useVirtualizer } from "@tanstack/react-virtual";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useFormatter, useTimeZone, useTranslations } from "next-intl";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands, useChatConnection, useConversation } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatMessage, ChatPerson, ConversationNotice, DeliveryState, GroupView } from "@/app/_chat/engine/types";
import { safetyNumberHref } from "@/app/_chat/handle-segment";
import { Icon } from "@/app/_shared/ui/icons";
import { Avatar } from "@/app/_shared/ui/avatar";
import { useClock } from "@/app/_shared/ui/clock";
import { MessageAttachments } from "./attachment-list";
import { useTimerLabel } from "./timer-label";
import { ViewOncePhoto } from "./view-once-photo";
import { MessageActionsMenu } from "./message-actions-menu";
import { EditedMark, QuoteBlock, ReactionsRow, ReadMark } from "./message-parts";
import { GroupAvatar } from "./group-avatar";
import { describeGroupNotice, isGroupNotice, type NamedPeople } from "./group-notice";
import { buildRows, estimateRowSize, type MessageRow } from "./message-rows";
import { useChatErrorText } from "./use-chat-error-text";

// Loaded when a message is reported.
const ReportDialog = dynamic(() => import("@/app/_shared/ui/report-dialog").then((m) => m.ReportDialog), { ssr: false });

/** How close to the bottom (px) still counts as "at the bottom". */
const END_SLACK = 48;
/** How close to the top (px) starts loading the previous page. */
const OLDER_MARGIN = 600;
/** How many older pages a search hit may pull in to be shown. */
const MAX_SEEK_PAGES = 30;

/** Whom the conversation is with: one person, or a group. */
export type ConversationWith = { kind: "direct"; peer: ChatPerson } | { kind: "group"; group: GroupView };

interface MessageListProps {
  conversationId: string;
  conversation: ConversationWith;
  /** A message to open at (from search) instead of the newest. */
  focusMessageId: string | null;
}

export function MessageList({ conversationId, conversation, focusMessageId }: MessageListProps) {
  const t = useTranslations("chat");
  const name = conversation.kind === "group" ? conversation.group.name : conversation.peer.displayName;
  const timeZone = useTimeZone() ?? "UTC";
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { messages, notices, hasOlder } = useConversation(conversationId);
  const offline = useChatConnection() === "offline";
  const rows = useMemo(() => buildRows(messages, notices, hasOlder, timeZone), [messages, notices, hasOlder, timeZone]);
  const hasMessages = messages.length > 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const logRef = useRef<HTMLDivElement>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's methods read its own mutable state; this component calls them only while rendering or in effects, never memoizes their results
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimateRowSize(rows[index]),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 8,
    paddingStart: 8,
    paddingEnd: 12,
    anchorTo: "end",
    followOnAppend: true,
    scrollEndThreshold: END_SLACK,
    // Positions are written straight to the DOM (through the CSSOM, which the CSP allows, unlike
    // style attributes), so scrolling does not re-render the rows.
    directDomUpdates: true,
  });

  const [atEnd, setAtEnd] = useState(true);
  const [pill, setPill] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);

  // New rows at the end while the reader is further up: offer the way down. (Adjusting state from
  // the previous render, as React recommends, rather than in an effect.)
  const lastKey = rows[rows.length - 1]?.key ?? "";
  const [seenLastKey, setSeenLastKey] = useState(lastKey);
  if (seenLastKey !== lastKey) {
    setSeenLastKey(lastKey);
    if (!atEnd && rowsAfter(rows, seenLastKey).some((row) => row.kind === "message" && !row.message.outgoing)) setPill(true);
  }

  // Older pages: one request at a time, only once the list has been placed.
  const placed = useRef(false);
  const loading = useRef(false);
  const hasOlderRef = useRef(hasOlder);
  const olderErrorRef = useRef(olderError);
  useEffect(() => {
    hasOlderRef.current = hasOlder;
    olderErrorRef.current = olderError;
  }, [hasOlder, olderError]);
  const requestOlder = useCallback(() => {
    if (loading.current || !hasOlderRef.current || olderErrorRef.current || !placed.current) return;
    loading.current = true;
    setLoadingOlder(true);
    commands.loadOlder(conversationId).then(
      () => {
        loading.current = false;
        setLoadingOlder(false);
      },
      (error: unknown) => {
        loading.current = false;
        setLoadingOlder(false);
        setOlderError(chatErrorCode(error));
      },
    );
  }, [commands, conversationId]);

  // Start at the newest message once there are messages to show.
  useLayoutEffect(() => {
    if (placed.current || !hasMessages) return;
    placed.current = true;
    virtualizer.scrollToEnd();
  }, [hasMessages, virtualizer]);

  // A search hit: load older pages until it is there (a bounded number), then bring it to the middle.
  const sought = useRef<{ done: boolean; pages: number }>({ done: focusMessageId === null, pages: 0 });
  useEffect(() => {
    const seek = sought.current;
    if (seek.done || !placed.current) return;
    const index = rows.findIndex((row) => row.key === `message:${focusMessageId}`);
    if (index >= 0) {
      seek.done = true;
      virtualizer.scrollToIndex(index, { align: "center" });
    } else if (hasOlder && seek.pages < MAX_SEEK_PAGES) {
      if (loading.current) return;
      seek.pages += 1;
      requestOlder();
    } else {
      seek.done = true;
    }
  }, [rows, hasOlder, loadingOlder, focusMessageId, requestOlder, virtualizer]);

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    function onScroll() {
      if (!element) return;
      const end = element.scrollHeight - element.scrollTop - element.clientHeight <= END_SLACK;
      setAtEnd(end);
      if (end) setPill(false);
      if (element.scrollTop < OLDER_MARGIN) requestOlder();
    }
    element.addEventListener("scroll", onScroll, { passive: true });
    return () => element.removeEventListener("scroll", onScroll);
  }, [requestOlder]);

  // Near the top with more to load (a short conversation, or a page that arrived while the reader
  // waited at the top): no scroll event will come to ask, so ask now.
  useEffect(() => {
    const element = scrollRef.current;
    if (element && hasOlder && !loadingOlder && element.scrollTop < OLDER_MARGIN) requestOlder();
  }, [rows, hasOlder, loadingOlder, requestOlder]);

  // What arrived since the last render: the newest incoming message is announced; one's own new
  // message brings the list to the bottom, wherever the reader was.
  const previousLastKey = useRef<string | null>(null);
  useEffect(() => {
    const previous = previousLastKey.current;
    previousLastKey.current = lastKey;
    if (previous === null || previous === lastKey) return;
    const added = rowsAfter(rows, previous);
    if (added.some((row) => row.kind === "message" && row.message.outgoing)) virtualizer.scrollToEnd();
    const newest = added.findLast((row) => row.kind === "message" && !row.message.outgoing);
    if (newest?.kind === "message" && logRef.current) {
      const line = document.createElement("p");
      const { body, attachments } = newest.message;
      const files = attachments.length ? t("previewFiles", { count: attachments.length }) : "";
      const said = body && files ? t("previewBodyWithFiles", { body, files }) : body || files;
      line.textContent = t("announceIncoming", { name: newest.message.sender?.displayName ?? name, body: said });
      logRef.current.replaceChildren(line);
    }
  }, [lastKey, rows, name, t, virtualizer]);

  // A quote's button brings the quoted message into view (loading older pages as a search hit does) and gives it focus.
  const rowsRef = useRef(rows);
  useEffect(() => {
    rowsRef.current = rows;
  }, [rows]);
  const jumpTo = useCallback(
    (id: string) => {
      const index = rowsRef.current.findIndex((row) => row.key === `message:${id}`);
      if (index < 0) return;
      virtualizer.scrollToIndex(index, { align: "center" });
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`)?.focus());
    },
    [virtualizer],
  );

  // Up and down arrows move between messages (each is focusable, its menu button next to it).
  const onRowsKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = event.target as HTMLElement;
    if ((event.key !== "ArrowUp" && event.key !== "ArrowDown") || !current.matches("[data-testid='message']")) return;
    const all = [...(scrollRef.current?.querySelectorAll<HTMLElement>("[data-testid='message']") ?? [])];
    const next = all[all.indexOf(current) + (event.key === "ArrowUp" ? -1 : 1)];
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  };

  const retryOlder = () => {
    setOlderError(null);
    olderErrorRef.current = null;
    requestOlder();
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div className="chat-list-frame">
      <div
        ref={scrollRef}
        className="chat-scroll"
        tabIndex={0}
        role="region"
        aria-label={conversation.kind === "group" ? t("group.conversationLabel", { name }) : t("conversationWith", { name })}
        data-testid="message-list"
      >
        <div ref={virtualizer.containerRef} className="chat-rows" role="list" aria-busy={loadingOlder} onKeyDown={onRowsKeyDown}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="chat-row" role="listitem">
                {row.kind === "start" ? (
                  conversation.kind === "group" ? (
                    <GroupStart group={conversation.group} />
                  ) : (
                    <ConversationStart peer={conversation.peer} />
                  )
                ) : row.kind === "day" ? (
                  <DayLine at={row.at} />
                ) : row.kind === "message" ? (
                  <MessageBubble
                    message={row.message}
                    peerName={name}
                    showSender={row.showSender}
                    found={row.message.id === focusMessageId}
                    waitingForNetwork={offline && row.message.outgoing && (row.message.state ?? "sending") === "sending"}
                    onJump={jumpTo}
                  />
                ) : conversation.kind === "group" ? (
                  <GroupNoticeLine notice={row.notice} group={conversation.group} />
                ) : (
                  <NoticeLine notice={row.notice} handle={conversation.peer.handle} />
                )}
              </div>
            );
          })}
        </div>
      </div>
      {olderError ? (
        <div className="chat-older chat-inline-error" role="alert">
          <p>{t("olderFailed", { reason: errorText(olderError) ?? "" })}</p>
          <button type="button" className="button button-quiet button-small" onClick={retryOlder}>
            {t("tryAgain")}
          </button>
        </div>
      ) : loadingOlder ? (
        <p className="chat-older" role="status" data-testid="loading-older">
          <span className="chat-spinner chat-spinner-small" aria-hidden="true" />
          {t("loadingOlder")}
        </p>
      ) : null}
      {pill ? (
        <button
          type="button"
          className="chat-new-pill"
          data-testid="new-messages-pill"
          onClick={() => {
            setPill(false);
            virtualizer.scrollToEnd({ behavior: prefersReducedMotion() ? "auto" : "smooth" });
          }}
        >
          {t("newMessagesPill")}
          <Icon name="arrowDown" />
        </button>
      ) : null}
      <div ref={logRef} role="log" aria-live="polite" aria-label={t("liveLabel", { name })} className="sr-only" data-testid="message-log" />
    </div>
  );
}

function rowsAfter(rows: readonly MessageRow[], key: string): MessageRow[] {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.key === key) return rows.slice(i + 1);
  return [];
}

/** A name inside a sentence, isolated so its direction cannot reorder the sentence around it. */
function isolated(chunks: ReactNode) {
  return <bdi>{chunks}</bdi>;
}

function prefersReducedMotion(): boolean {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function ConversationStart({ peer }: { peer: ChatPerson }) {
  const t = useTranslations("chat");
  return (
    <div className="chat-start" data-testid="conversation-start">
      <Avatar person={peer} size="large" />
      <p className="chat-start-names">
        <span className="chat-name">{peer.displayName}</span> <span className="chat-handle">@{peer.handle}</span>
      </p>
      <p className="muted chat-start-e2ee">
        <Icon name="lock" />
        {t("startOfConversation", { handle: peer.handle })}
      </p>
    </div>
  );
}

function GroupStart({ group }: { group: GroupView }) {
  const t = useTranslations("chat");
  return (
    <div className="chat-start" data-testid="conversation-start">
      <GroupAvatar group={group} />
      <p className="chat-start-names">
        <span className="chat-name">{group.name}</span>
      </p>
      <p className="muted chat-start-e2ee">
        <Icon name="lock" />
        {t.rich("group.startOfGroup", { name: group.name, bdi: isolated })}
      </p>
    </div>
  );
}

function DayLine({ at }: { at: number }) {
  const t = useTranslations("chat");
  const format = useFormatter();
  const now = useClock();
  const date = new Date(at);
  const dayKey = (d: Date) => format.dateTime(d, { year: "numeric", month: "numeric", day: "numeric" });
  const yesterday = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const label =
    dayKey(date) === dayKey(now)
      ? t("today")
      : dayKey(date) === dayKey(yesterday)
        ? t("yesterday")
        : format.dateTime(date, { weekday: "long", day: "numeric", month: "long", year: date.getFullYear() === now.getFullYear() ? undefined : "numeric" });
  return (
    <h2 className="chat-day">
      <time dateTime={date.toISOString()}>{label}</time>
    </h2>
  );
}

interface MessageBubbleProps {
  message: ChatMessage;
  /** Who wrote an incoming message when the message does not say (a conversation with one person). */
  peerName: string;
  /** Show the sender's name above the bubble (the first of their run in a group). */
  showSender: boolean;
  found: boolean;
  /** An own message still to leave while the device is offline: it says it waits for the connection. */
  waitingForNetwork: boolean;
  /** Brings a quoted message into view. */
  onJump(id: string): void;
}

const MessageBubble = memo(function MessageBubble({ message, peerName, showSender, found, waitingForNetwork, onJump }: MessageBubbleProps) {
  const t = useTranslations("chat");
  const format = useFormatter();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const [retryError, setRetryError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [report, setReport] = useState<"idle" | "open" | "sent">("idle");
  const date = new Date(message.sentAt);
  const state = message.outgoing ? (message.state ?? "sending") : null;
  const senderName = message.sender?.displayName ?? peerName;
  return (
    <div
      className={`chat-message ${message.outgoing ? "is-outgoing" : "is-incoming"}${found ? " is-found" : ""}${message.deleted ? " is-deleted" : ""}`}
      tabIndex={0}
      data-testid="message"
      data-message-id={message.id}
      data-state={state ?? "received"}
      data-direction={message.outgoing ? "outgoing" : "incoming"}
      data-deleted={message.deleted || undefined}
    >
      {showSender && message.sender ? (
        // The screen-reader prefix in the bubble names every message's sender; this is for the eye.
        <p className="chat-sender" aria-hidden="true" data-testid="message-sender">
          {message.sender.displayName}
        </p>
      ) : null}
      <div className="chat-bubble-line">
        {/* First in the DOM: from a focused message, Tab reaches its menu before the bubble's own buttons. */}
        <MessageActionsMenu
          message={message}
          authorName={message.outgoing ? t("you") : senderName}
          onError={setActionError}
          onReport={message.reportable && report === "idle" ? () => setReport("open") : undefined}
        />
        <div className="chat-bubble">
          <span className="sr-only">{message.outgoing ? t("you") : senderName}: </span>
          {message.replyTo && !message.deleted ? <QuoteBlock quote={message.replyTo} onJump={onJump} /> : null}
          {message.deleted ? (
            <p className="chat-body chat-body-deleted" data-testid="message-body">
              <Icon name="trash" />
              {t("actions.deleted")}
            </p>
          ) : message.body || !message.attachments.length ? (
            <p className="chat-body" dir="auto" data-testid="message-body">
              {message.body}
            </p>
          ) : null}
          {message.deleted ? null : message.viewOnce ? (
            <ViewOncePhoto message={{ ...message, viewOnce: message.viewOnce }} />
          ) : (
            <MessageAttachments message={message} />
          )}
          <div className="chat-meta">
            <EditedMark message={message} />
            <time dateTime={date.toISOString()} title={format.dateTime(date, { dateStyle: "long", timeStyle: "short" })}>
              {format.dateTime(date, { timeStyle: "short" })}
            </time>
            {message.expiresAt !== null ? <DisappearingMark expiresAt={message.expiresAt} /> : null}
            {state === null || state === "failed" ? null : message.read && message.read.count > 0 ? (
              <ReadMark read={message.read} />
            ) : message.groupDelivery && state !== "sending" ? (
              <GroupDelivery {...message.groupDelivery} />
            ) : (
              <DeliveryMark state={state} />
            )}
          </div>
        </div>
      </div>
      {report === "open" ? (
        <ReportMessageDialog message={message} senderName={senderName} onClose={() => setReport("idle")} onSent={() => setReport("sent")} />
      ) : null}
      {report === "sent" ? (
        <p className="chat-reported" role="status" data-testid="message-reported">
          {t("reported")}
        </p>
      ) : null}
      <ReactionsRow message={message} onError={setActionError} />
      {actionError ? (
        <p className="chat-failed" role="alert">
          {errorText(actionError)}
        </p>
      ) : null}
      {waitingForNetwork ? (
        <p className="chat-waiting" data-testid="message-waiting-network">
          {t("waitingForNetwork")}
        </p>
      ) : null}
      {state === "waiting" ? (
        <p className="chat-waiting" data-testid="message-waiting">
          {t("waitingForPeer", { named: peerName ? "yes" : "no", name: peerName })}
        </p>
      ) : null}
      {state === "failed" ? (
        <p className="chat-failed">
          <Icon name="warning" />
          <span>{t("state.failed")}</span>
          <span aria-hidden="true">—</span>
          <button
            type="button"
            className="chat-retry"
            onClick={() => {
              setRetryError(null);
              commands.retry(message.id).catch((error: unknown) => setRetryError(chatErrorCode(error)));
            }}
          >
            {t("retry")}
          </button>
          {retryError ? <span role="alert">{errorText(retryError)}</span> : null}
        </p>
      ) : null}
    </div>
  );
});

/** Reveals this one message, with proof of its sender, to the operators (message franking). */
function ReportMessageDialog({ message, senderName, onClose, onSent }: { message: ChatMessage; senderName: string; onClose(): void; onSent(): void }) {
  const t = useTranslations("chat");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  return (
    <ReportDialog
      title={t("reportMessage")}
      explanation={t("reportMessageExplanation", { name: senderName })}
      onClose={onClose}
      onSubmit={async (reason, note) => {
        try {
          await commands.reportMessage(message.id, reason, note);
        } catch (error) {
          throw new Error(errorText(chatErrorCode(error)) ?? undefined);
        }
        onSent();
      }}
    />
  );
}

/** A disappearing message: a small timer, and when it goes. */
function DisappearingMark({ expiresAt }: { expiresAt: number }) {
  const t = useTranslations("chat.disappearing");
  const format = useFormatter();
  const label = t("disappearsAt", { at: format.dateTime(new Date(expiresAt), { dateStyle: "medium", timeStyle: "short" }) });
  return (
    <span className="chat-disappearing-mark" title={label} data-testid="disappearing-mark">
      <Icon name="clock" />
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** The timer was set or turned off, by this person ("You …") or another member. */
function TimerNoticeLine({ notice }: { notice: ConversationNotice }) {
  const t = useTranslations("chat.disappearing");
  const timerLabel = useTimerLabel();
  const seconds = Number(notice.detail ?? 0);
  const actor = notice.actor?.displayName ?? "";
  const text =
    seconds > 0
      ? t(notice.actor ? "noticeSet" : "noticeSetByYou", { actor, timer: timerLabel(seconds) })
      : t(notice.actor ? "noticeOff" : "noticeOffByYou", { actor });
  return (
    <div className="chat-notice" data-testid="notice" data-kind={notice.kind} data-seconds={seconds}>
      <Icon name="clock" />
      <p>
        {text} <NoticeTime at={notice.at} />
      </p>
    </div>
  );
}

function DeliveryMark({ state }: { state: Exclude<DeliveryState, "failed"> }) {
  const t = useTranslations("chat");
  const label = t(`state.${state}`);
  return (
    <span className={`chat-state chat-state-${state}`} title={label}>
      <Icon name={state === "sending" || state === "waiting" ? "clock" : state === "sent" ? "check" : "checks"} />
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** An own group message once it has left: to how many of the members' devices it has come. */
function GroupDelivery({ delivered, total }: { delivered: number; total: number }) {
  const t = useTranslations("chat");
  const all = total > 0 && delivered >= total;
  return (
    <span className={all ? "chat-group-delivery is-all" : "chat-group-delivery"} data-testid="group-delivery" data-delivered={delivered} data-total={total}>
      <Icon name={delivered > 0 ? "checks" : "check"} />
      {t("group.deliveredTo", { delivered, total })}
    </span>
  );
}

function NoticeLine({ notice, handle }: { notice: ConversationNotice; handle: string }) {
  const t = useTranslations("chat");
  const time = <NoticeTime at={notice.at} />;
  if (isCallNotice(notice)) return <CallNoticeLine notice={notice} />;
  if (notice.kind === "timer-changed") return <TimerNoticeLine notice={notice} />;
  if (notice.kind === "identity-changed") {
    return (
      <div className="chat-notice chat-notice-warning" data-testid="notice" data-kind={notice.kind}>
        <Icon name="warning" />
        <p>
          {t("identityChanged", { handle })} <Link href={safetyNumberHref(handle)}>{t("verifySafetyNumber")}</Link> {time}
        </p>
      </div>
    );
  }
  if (notice.kind !== "verified" && notice.kind !== "unverified") return null;
  return (
    <div className="chat-notice" data-testid="notice" data-kind={notice.kind}>
      <Icon name={notice.kind === "verified" ? "verified" : "history"} />
      <p>
        {notice.kind === "verified" ? t("noticeVerified", { handle }) : t("noticeUnverified", { handle })} {time}
      </p>
    </div>
  );
}

function NoticeTime({ at }: { at: number }) {
  const format = useFormatter();
  const date = new Date(at);
  return (
    <time className="chat-notice-time" dateTime={date.toISOString()}>
      {format.dateTime(date, { timeStyle: "short" })}
    </time>
  );
}

const WARNING_NOTICES = new Set<ConversationNotice["kind"]>(["you-were-removed", "change-refused"]);

/** A change to the group (or a member's new safety number), as one line. */
function GroupNoticeLine({ notice, group }: { notice: ConversationNotice; group: GroupView }) {
  const t = useTranslations("chat");
  const format = useFormatter();
  if (isCallNotice(notice)) return <CallNoticeLine notice={notice} />;
  const myUserId = group.members.find((member) => member.me)?.person.userId ?? null;
  const listed = (people: NamedPeople) =>
    format.list(
      [...(people.me ? [t("groupNotice.youObject")] : []), ...people.names, ...(people.others > 0 ? [t("groupNotice.others", { count: people.others })] : [])],
      { type: "conjunction" },
    );

  if (notice.kind === "timer-changed") return <TimerNoticeLine notice={notice} />;
  if (!isGroupNotice(notice)) {
    // A member's key changed (or this person verified one): the notice names them as its subject.
    const subject = notice.subjects[0] ?? notice.actor;
    if (!subject) return null;
    return <NoticeLine notice={notice} handle={subject.handle} />;
  }
  const { key, actor, subjects, name } = describeGroupNotice(notice, myUserId);
  const warning = WARNING_NOTICES.has(notice.kind);
  return (
    <div className={warning ? "chat-notice chat-notice-warning" : "chat-notice"} data-testid="notice" data-kind={notice.kind}>
      <Icon name={warning ? "warning" : notice.kind === "group-renamed" ? "feather" : notice.kind === "group-created" ? "message" : "user"} />
      <p>
        {t.rich(`groupNotice.${key}`, { actor: actor ?? "", names: listed(subjects), count: subjects.count, name: name ?? "", bdi: isolated })}{" "}
        <NoticeTime at={notice.at} />
      </p>
    </div>
  );
}
