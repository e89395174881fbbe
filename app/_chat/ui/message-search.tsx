"use client";
// Searches the messages kept in this browser (they are nowhere else in clear). Typing waits a
// moment before searching; results link into their conversation (with a person or a group).
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { SearchHit } from "@/app/_chat/engine/types";
import { conversationHref, groupHref } from "@/app/_chat/handle-segment";
import { Icon } from "@/app/_shared/ui/icons";
import { Avatar } from "@/app/_shared/ui/avatar";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
import { GroupAvatar } from "./group-avatar";
import { useChatErrorText } from "./use-chat-error-text";

const DEBOUNCE_MS = 250;

type Results = { query: string; hits: SearchHit[] } | { query: string; error: string };

export function MessageSearch({ query, onQueryChange }: { query: string; onQueryChange: (query: string) => void }) {
  const t = useTranslations("chat");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const inputId = useId();
  const [results, setResults] = useState<Results | null>(null);
  const trimmed = query.trim();

  useEffect(() => {
    if (!trimmed) return;
    let current = true;
    const timer = setTimeout(() => {
      commands.search(trimmed).then(
        (hits) => current && setResults({ query: trimmed, hits }),
        (error: unknown) => current && setResults({ query: trimmed, error: chatErrorCode(error) }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [commands, trimmed]);

  const shown = results && results.query === trimmed ? results : null;
  let status = "";
  if (trimmed && !shown) status = t("searching");
  else if (shown && "error" in shown) status = errorText(shown.error) ?? "";
  else if (shown) status = shown.hits.length ? t("searchResults", { count: shown.hits.length }) : t("searchNoResults", { query: trimmed });

  return (
    <div className="chat-search">
      <form role="search" aria-label={t("searchLabel")} className="search-box" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor={inputId} className="sr-only">
          {t("searchLabel")}
        </label>
        <Icon name="search" />
        <input
          id={inputId}
          type="search"
          value={query}
          onChange={(event) => onQueryChange(event.target.value)}
          placeholder={t("searchPlaceholder")}
          autoComplete="off"
          enterKeyHint="search"
          maxLength={200}
          data-testid="message-search"
        />
      </form>
      <p role="status" className={trimmed ? "chat-search-status" : "sr-only"}>
        {status}
      </p>
      {trimmed && shown && "hits" in shown && shown.hits.length > 0 ? (
        <ul className="chat-search-results" aria-label={t("searchResultsLabel")} data-testid="search-results">
          {shown.hits.map((hit) => (
            <li key={hit.message.id}>
              <SearchHitLink hit={hit} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A found message, linking into its conversation at that message. */
function SearchHitLink({ hit: { message, where } }: { hit: SearchHit }) {
  const t = useTranslations("chat");
  const at = `?message=${encodeURIComponent(message.id)}`;
  const preview = message.outgoing
    ? t("previewOutgoing", { body: message.body })
    : message.sender
      ? t("previewSender", { name: message.sender.displayName, body: message.body })
      : message.body;
  return (
    <Link
      href={where.kind === "group" ? `${groupHref(where.groupId)}${at}` : `${conversationHref(where.peer.handle)}${at}`}
      className="chat-conversation-link"
      data-testid="search-hit"
      data-kind={where.kind}
    >
      {where.kind === "group" ? <GroupAvatar group={{ id: where.groupId, name: where.name }} size="medium" /> : <Avatar person={where.peer} size="medium" />}
      <span className="chat-conversation-main">
        <span className="chat-conversation-top">
          {where.kind === "group" ? (
            <>
              <span className="chat-name">{where.name}</span>
              <span className="sr-only">, {t("group.kindLabel")}</span>
            </>
          ) : (
            <>
              <span className="chat-name">{where.peer.displayName}</span>
              <span className="chat-handle">@{where.peer.handle}</span>
            </>
          )}
          <span className="chat-conversation-time">
            <RelativeTime date={new Date(message.sentAt)} />
          </span>
        </span>
        <span className="chat-preview chat-preview-full">{preview}</span>
      </span>
    </Link>
  );
}
