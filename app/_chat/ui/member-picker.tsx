"use client";
// Choosing people for a group: those this person may add (followed or written with, from
// `groupCandidates()`), minus those already in it, filtered as one types, as checkboxes. The count
// of chosen people is a live region; people filtered out of view stay chosen.
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatPerson } from "@/app/_chat/engine/types";
import { Avatar } from "@/app/_shared/ui/avatar";
import { Icon } from "@/app/_shared/ui/icons";
import { filterPeople } from "./filter-people";
import { useChatErrorText } from "./use-chat-error-text";

export type Chosen = ReadonlyMap<string, ChatPerson>;

interface MemberPickerProps {
  chosen: Chosen;
  onChange: (chosen: Chosen) => void;
  /** How many people may be chosen at most (the group's room left). */
  limit: number;
  /** User ids not to offer: the group's current members. */
  excluded?: ReadonlySet<string>;
  /** About the choice as a whole (e.g. nobody chosen), already in words. */
  error?: string | null;
  /** Focus the filter once the people are there (when the picker is the dialog's first field). */
  autoFocus?: boolean;
}

type Candidates = { kind: "loading" } | { kind: "failed"; code: string } | { kind: "ready"; people: readonly ChatPerson[] };

export function MemberPicker({ chosen, onChange, limit, excluded, error = null, autoFocus = false }: MemberPickerProps) {
  const t = useTranslations("chat.group");
  const tChat = useTranslations("chat");
  const errorText = useChatErrorText();
  const commands = useChatCommands();
  const filterId = useId();
  const countId = useId();
  const errorId = useId();
  const [candidates, setCandidates] = useState<Candidates>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [query, setQuery] = useState("");

  useEffect(() => {
    let current = true;
    commands.groupCandidates().then(
      (people) => current && setCandidates({ kind: "ready", people }),
      (failure: unknown) => current && setCandidates({ kind: "failed", code: chatErrorCode(failure) }),
    );
    return () => {
      current = false;
    };
  }, [commands, attempt]);

  const filter = useRef<HTMLInputElement>(null);
  const ready = candidates.kind === "ready";
  useEffect(() => {
    if (ready && autoFocus) filter.current?.focus();
  }, [ready, autoFocus]);

  const offered = candidates.kind === "ready" ? candidates.people.filter((person) => !excluded?.has(person.userId)) : [];
  const shown = filterPeople(offered, query);
  const full = chosen.size >= limit;

  function toggle(person: ChatPerson, on: boolean) {
    const next = new Map(chosen);
    if (on) next.set(person.userId, person);
    else next.delete(person.userId);
    onChange(next);
  }

  return (
    <fieldset className="chat-picker" aria-describedby={error ? `${errorId} ${countId}` : countId} data-testid="group-member-picker">
      <legend>{t("membersLegend")}</legend>
      {candidates.kind === "loading" ? (
        <p className="muted" aria-busy="true" data-testid="group-candidates-loading">
          {tChat("loading")}
        </p>
      ) : candidates.kind === "failed" ? (
        <div className="chat-inline-error" role="alert">
          <p>
            {t("candidatesFailed")} {errorText(candidates.code)}
          </p>
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => {
              setCandidates({ kind: "loading" });
              setAttempt((n) => n + 1);
            }}
          >
            {tChat("tryAgain")}
          </button>
        </div>
      ) : offered.length === 0 ? (
        <div className="chat-picker-empty" data-testid="group-candidates-empty">
          <Icon name="user" />
          <p>{candidates.people.length > 0 ? t("everyoneAdded") : t("candidatesEmpty")}</p>
        </div>
      ) : (
        <>
          <div className="search-box chat-picker-filter">
            <label htmlFor={filterId} className="sr-only">
              {t("filterLabel")}
            </label>
            <Icon name="search" />
            <input
              ref={filter}
              id={filterId}
              type="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              placeholder={t("filterPlaceholder")}
              autoComplete="off"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              maxLength={100}
              data-testid="group-member-filter"
            />
          </div>
          {shown.length === 0 ? (
            <p className="muted" role="status">
              {t("noMatch", { query: query.trim() })}
            </p>
          ) : (
            <ul className="chat-picker-list">
              {shown.map((person) => {
                const on = chosen.has(person.userId);
                return (
                  <li key={person.userId}>
                    <label className="chat-picker-option" data-testid="group-member-option" data-handle={person.handle} data-checked={on}>
                      <input type="checkbox" checked={on} disabled={!on && full} onChange={(event) => toggle(person, event.target.checked)} />
                      <Avatar person={person} size="medium" />
                      <span className="chat-person-names">
                        <span className="chat-name">{person.displayName}</span>
                        <span className="chat-handle">@{person.handle}</span>
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
      {error ? (
        <p id={errorId} className="field-error" data-testid="group-members-error">
          {error}
        </p>
      ) : null}
      <p id={countId} className="chat-picker-count" role="status" data-testid="group-chosen-count" data-count={chosen.size}>
        {full ? t("chosenFull", { count: chosen.size }) : t("chosenCount", { count: chosen.size })}
      </p>
    </fieldset>
  );
}
