"use client";
// Searches the messages kept in this browser (they are nowhere else in clear). Typing waits a
// moment before searching; results link into their conversation.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { SearchHit } from "@/app/_chat/engine/types";
import { conversationHref } from "@/app/_chat/handle-segment";
import { Icon } from "@/app/_shared/ui/icons";
import { Avatar } from "@/app/_shared/ui/avatar";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
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
          {shown.hits.map(({ message, peer }) => (
            <li key={message.id}>
              <Link
                href={`${conversationHref(peer.handle)}?message=${encodeURIComponent(message.id)}`}
                className="chat-conversation-link"
                data-testid="search-hit"
              >
                <Avatar person={peer} size="medium" />
                <span className="chat-conversation-main">
                  <span className="chat-conversation-top">
                    <span className="chat-name">{peer.displayName}</span>
                    <span className="chat-handle">@{peer.handle}</span>
                    <span className="chat-conversation-time">
                      <RelativeTime date={new Date(message.sentAt)} />
                    </span>
                  </span>
                  <span className="chat-preview chat-preview-full">{message.outgoing ? t("previewOutgoing", { body: message.body }) : message.body}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
