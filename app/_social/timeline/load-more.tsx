"use client";
// The end of a growing list: a "Load more" button, pressed for the reader when it comes near the
// viewport, with skeletons while the next page loads.
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import type { TimelineEntry } from "@/app/_social/wire/views";
import { PostSkeletons } from "./post-skeletons";

/** The paging half of an infinite query: what LoadMore needs to fetch the next page. */
export interface NextPageQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

const NEAR_END = "0px 0px 800px 0px";

export function LoadMore({ query, entries }: { query: NextPageQuery; entries: readonly TimelineEntry[] }) {
  const t = useTranslations("social");
  const button = useRef<HTMLButtonElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;

  // A new observer after every page: its first report says whether the end is still in view.
  useEffect(() => {
    const target = button.current;
    if (!target || !hasNextPage || isFetchingNextPage || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (records) => {
        if (records.some((r) => r.isIntersecting)) fetchNextPage();
      },
      { rootMargin: NEAR_END },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, entries.length]);

  if (!hasNextPage) {
    return entries.length > 0 ? <p className="timeline-end">{t("endOfList")}</p> : null;
  }
  return (
    <div className="timeline-more">
      {isFetchingNextPage ? <PostSkeletons count={2} /> : null}
      <button
        ref={button}
        type="button"
        className="button button-quiet"
        onClick={() => fetchNextPage()}
        disabled={isFetchingNextPage}
        aria-busy={isFetchingNextPage}
      >
        {isFetchingNextPage ? t("loadingMore") : t("loadMore")}
      </button>
    </div>
  );
}
