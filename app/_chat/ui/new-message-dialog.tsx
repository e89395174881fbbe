"use client";
// "New message": type a handle or a name and pick from the suggestions (people written with, from
// this browser, then people followed, from the server's chat directory, which lists only people
// you may write to), or browse the people you follow below.
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useState, type FormEvent, type KeyboardEvent } from "react";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatPerson } from "@/app/_chat/engine/types";
import { conversationHref, handleFromInput } from "@/app/_chat/handle-segment";
import { TRPCReactProvider, useTRPC } from "@/app/_shared/trpc/client";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { Avatar } from "@/app/_shared/ui/avatar";
import { MAX_RECIPIENT_SUGGESTIONS, recipientSuggestions } from "./recipient-suggestions";

const PAGE_SIZE = 30;
/** The server is asked once typing pauses this long. */
const SUGGEST_DELAY_MS = 150;

export function NewMessageDialog({ onClose }: { onClose: () => void }) {
  // Messages' frame leaves TanStack Query out (its pages run on the chat engine): this dialog, loaded
  // when opened, brings it.
  return (
    <TRPCReactProvider>
      <NewMessageDialogWithQuery onClose={onClose} />
    </TRPCReactProvider>
  );
}

function NewMessageDialogWithQuery({ onClose }: { onClose: () => void }) {
  const t = useTranslations("chat");
  const router = useRouter();

  return (
    <ModalDialog open onClose={onClose} title={t("newMessage")} className="dialog-wide">
      <RecipientPicker onPick={(handle) => router.push(conversationHref(handle))} />
      <h3 className="chat-dialog-subtitle" id="following-title">
        {t("followingTitle")}
      </h3>
      <FollowingList />
    </ModalDialog>
  );
}

/** What has been typed, once typing pauses. */
function useSettled(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * The "Send to" field as an ARIA combobox: typing shows suggestions, the arrow keys move through
 * them, Enter opens the conversation with the one chosen (or with the handle typed), Escape closes
 * the list (a second Escape closes the dialog).
 */
function RecipientPicker({ onPick }: { onPick: (handle: string) => void }) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const id = useId();
  const [text, setText] = useState("");
  const [invalid, setInvalid] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const settled = useSettled(text.trim(), SUGGEST_DELAY_MS);
  const followed = useQuery(
    trpc.chat.directory.suggest.queryOptions(
      { query: settled, limit: MAX_RECIPIENT_SUGGESTIONS },
      { enabled: settled.length > 0, placeholderData: keepPreviousData, staleTime: 30_000 },
    ),
  );
  const { conversations } = useChatSnapshot();
  const talkedTo = useMemo(() => conversations.flatMap((c) => (c.kind === "direct" ? [c.peer] : [])), [conversations]);
  const suggestions = useMemo(
    () => (text.trim() ? recipientSuggestions({ query: text, talkedTo, followed: settled ? (followed.data ?? []) : [] }) : []),
    [text, talkedTo, followed.data, settled],
  );
  const shown = open && suggestions.length > 0;
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  function pick(person: ChatPerson) {
    setOpen(false);
    onPick(person.handle);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const chosen = shown && active >= 0 ? suggestions[active] : undefined;
    if (chosen) return pick(chosen);
    const parsed = handleFromInput(text);
    if (!parsed) {
      setInvalid(true);
      return;
    }
    onPick(parsed);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!suggestions.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setOpen(true);
      setActive((current) => (!shown ? (step > 0 ? 0 : suggestions.length - 1) : (current + step + suggestions.length) % suggestions.length));
    } else if (event.key === "Escape" && shown) {
      // Closes the list only; the dialog stays open.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      setActive(-1);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="chat-form chat-to-form">
      <div className="field chat-recipient">
        <label htmlFor={`${id}-input`}>{t("toLabel")}</label>
        <input
          id={`${id}-input`}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={shown}
          aria-controls={listId}
          aria-activedescendant={shown && active >= 0 ? `${id}-option-${active}` : undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={[invalid ? errorId : null, hintId].filter(Boolean).join(" ")}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setInvalid(false);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          placeholder="@"
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          maxLength={64}
          data-autofocus=""
          data-testid="new-message-handle"
        />
        <ul id={listId} role="listbox" aria-label={t("suggestionsLabel")} className="chat-suggestions" hidden={!shown} data-testid="recipient-suggestions">
          {suggestions.map((person, index) => (
            <li
              key={person.userId}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === active}
              className="chat-suggestion"
              data-handle={person.handle}
              // Keeps focus in the field, so the click picks before the list closes on blur.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(person)}
            >
              <Avatar person={person} size="small" />
              <span className="chat-person-names">
                <span className="chat-name">{person.displayName}</span>
                <span className="chat-handle">@{person.handle}</span>
              </span>
            </li>
          ))}
        </ul>
        {invalid ? (
          <p id={errorId} className="field-error">
            {t("toInvalid")}
          </p>
        ) : null}
        <p id={hintId} className="field-hint">
          {t("toHint")}
        </p>
      </div>
      <div>
        <button type="submit" className="button button-primary">
          {t("toSubmit")}
        </button>
      </div>
    </form>
  );
}

function FollowingList() {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const query = useInfiniteQuery(trpc.chat.directory.following.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  if (query.isPending) {
    return (
      <p className="muted" aria-busy="true">
        {t("loading")}
      </p>
    );
  }
  if (query.isError) {
    return (
      <div className="chat-inline-error" role="alert">
        <p>{t("followingFailed")}</p>
        <button type="button" className="button button-quiet button-small" onClick={() => void query.refetch()}>
          {t("tryAgain")}
        </button>
      </div>
    );
  }
  const people = query.data.pages.flatMap((page) => page.people);
  if (people.length === 0) return <p className="muted">{t("followingEmpty")}</p>;
  return (
    <>
      <ul className="chat-people" aria-labelledby="following-title" data-testid="following-list">
        {people.map((person) => (
          <li key={person.userId}>
            <Link href={conversationHref(person.handle)} className="chat-person-link">
              <Avatar person={person} size="medium" />
              <span className="chat-person-names">
                <span className="chat-name">{person.displayName}</span>
                <span className="chat-handle">@{person.handle}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {query.hasNextPage ? (
        <button
          type="button"
          className="button button-quiet chat-more"
          onClick={() => !query.isFetchingNextPage && void query.fetchNextPage()}
          aria-disabled={query.isFetchingNextPage}
          aria-busy={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? t("loading") : t("showMore")}
        </button>
      ) : null}
    </>
  );
}
