"use client";
// The person's access log: newest first, 50 at a time, filtered by purpose. Changing the filter
// keeps the current list on screen until the new one has arrived (a transition), instead of
// flashing a loading state.
import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, useTransition, type ChangeEvent } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { OPTIONAL_PURPOSE_NAMES } from "./purpose-names";
import { nextAccessLogCursor } from "./privacy-outputs";
import { useDescribeAccess } from "./use-describe-access";
import { usePrivacyLabels } from "./use-privacy-labels";

const FILTERS = [...OPTIONAL_PURPOSE_NAMES, "export", "operator", "security"] as const;

export function AccessLog() {
  const t = useTranslations("privacy");
  const format = useFormatter();
  const labels = usePrivacyLabels();
  const describeAccess = useDescribeAccess();
  const trpc = useTRPC();
  const selectId = useId();
  const [filter, setFilter] = useState<string | null>(null);
  const [switching, startTransition] = useTransition();
  const query = useSuspenseInfiniteQuery(trpc.privacy.accessLog.infiniteQueryOptions({ filter }, { getNextPageParam: nextAccessLogCursor }));
  const entries = query.data.pages.flatMap((page) => page.entries);
  const list = useRef<HTMLOListElement>(null);
  // After "Load more", focus goes to the first new entry: the button may be gone by then.
  const focusFrom = useRef<number | null>(null);

  useEffect(() => {
    const from = focusFrom.current;
    if (from === null || entries.length <= from) return;
    focusFrom.current = null;
    list.current?.querySelectorAll<HTMLElement>(":scope > li")[from]?.focus();
  }, [entries.length]);

  function loadMore() {
    if (query.isFetchingNextPage) return;
    focusFrom.current = entries.length;
    void query.fetchNextPage();
  }

  function onFilterChange(event: ChangeEvent<HTMLSelectElement>) {
    const next = event.target.value || null;
    startTransition(() => setFilter(next));
  }

  return (
    <div className="stack">
      <div className="field access-filter">
        <label htmlFor={selectId}>{t("accessFilter")}</label>
        <select id={selectId} value={filter ?? ""} onChange={onFilterChange}>
          <option value="">{t("filterAll")}</option>
          {FILTERS.map((value) => (
            <option key={value} value={value}>
              {labels.purposeName(value)}
            </option>
          ))}
        </select>
      </div>
      <div aria-busy={switching || query.isFetchingNextPage} className="access-results">
        {entries.length === 0 ? (
          <p className="muted access-empty">{filter ? t("accessEmptyFiltered", { purpose: labels.purposeName(filter) }) : t("accessEmpty")}</p>
        ) : (
          <ol ref={list} className="access-list" aria-label={t("accessListLabel")}>
            {entries.map((entry) => (
              <li key={entry.id} className="access-entry" tabIndex={-1}>
                <p className="access-action">{describeAccess(entry)}</p>
                <p className="access-meta">
                  <span>{labels.purposeName(entry.purpose)}</span>
                  <span>{t("categoriesLine", { categories: labels.categoryList(entry.categories) })}</span>
                  <time dateTime={entry.createdAt}>{format.dateTime(new Date(entry.createdAt), { dateStyle: "medium", timeStyle: "short" })}</time>
                </p>
              </li>
            ))}
          </ol>
        )}
      </div>
      {query.hasNextPage ? (
        <button
          type="button"
          className="button button-quiet access-more"
          onClick={loadMore}
          aria-disabled={query.isFetchingNextPage}
          aria-busy={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
        </button>
      ) : entries.length > 0 ? (
        <p className="muted">{t("accessEnd")}</p>
      ) : null}
    </div>
  );
}
