"use client";
// The home timeline: what the people one follows posted and reposted, newest first, nothing
// ranked or injected. It does not refresh under the reader; instead a pill says how many new
// posts wait, and pressing it loads them from the top.
import { useQuery, useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Icon } from "@/app/_shared/ui/icons";
import { useTRPC } from "@/app/_shared/trpc/client";
import { TimelineFeed } from "./timeline-feed";
import { nextCursor } from "./next-cursor";

const NEW_POSTS_POLL_MS = 20_000;

export function HomeTimeline({ displayName, handle }: { displayName: string; handle: string }) {
  const t = useTranslations("social");
  const tHome = useTranslations("home");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.social.timeline.home.infiniteQueryOptions({}, { getNextPageParam: nextCursor, refetchOnWindowFocus: false });
  const query = useSuspenseInfiniteQuery(options);

  // "New" means newer than the moment the top of the list was fetched.
  const [since, setSince] = useState(() => new Date(query.dataUpdatedAt));
  const [wasRefetching, setWasRefetching] = useState(query.isRefetching);
  if (query.isRefetching !== wasRefetching) {
    setWasRefetching(query.isRefetching);
    if (!query.isRefetching) setSince(new Date(query.dataUpdatedAt));
  }
  const countNew = useQuery(trpc.social.timeline.countNew.queryOptions({ since }, { refetchInterval: NEW_POSTS_POLL_MS, initialData: 0 }));
  const newCount = query.isRefetching ? 0 : countNew.data;

  async function showNewPosts() {
    // Start again from the first page: the older pages would only repeat the same posts.
    queryClient.setQueryData(options.queryKey, (data) => data && { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) });
    await query.refetch();
    window.scrollTo({ top: 0 });
    document.querySelector<HTMLElement>("main [role='feed'] article")?.focus({ preventScroll: true });
  }

  return (
    <>
      <div className="new-posts-anchor">
        {newCount > 0 ? (
          <button type="button" className="new-posts-pill" onClick={showNewPosts}>
            <Icon name="arrowUp" />
            {t("showNewPosts", { count: newCount })}
          </button>
        ) : null}
      </div>
      <p role="status" className="sr-only">
        {newCount > 0 ? t("newPostsAvailable", { count: newCount }) : ""}
      </p>
      <TimelineFeed
        query={query}
        label={t("homeFeedLabel")}
        empty={
          <section className="empty-state-block" aria-labelledby="home-empty-title">
            <h2 id="home-empty-title">{tHome("welcome", { name: displayName })}</h2>
            <p>{tHome("whoYouAre", { handle: `@${handle}` })}</p>
            <p>{t.rich("homeEmpty", { search: (chunks) => <Link href="/search">{chunks}</Link> })}</p>
            <p className="muted">{tHome("emptyTimeline")}</p>
          </section>
        }
      />
    </>
  );
}
