"use client";
// Posts matching the words, best match first, with more loaded at the end of the list.
import { useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Icon } from "@/app/_shared/ui/icons";
import { useTRPC } from "@/app/_shared/trpc/client";
import { LoadMore } from "../timeline/load-more";
import { LivePostCard } from "./live-post-card";
import { nextSearchCursor } from "./search-query";

export function PostResults({ query }: { query: string }) {
  const t = useTranslations("search");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.social.search.posts.infiniteQueryOptions({ query }, { getNextPageParam: nextSearchCursor });
  const results = useSuspenseInfiniteQuery(options);
  const posts = results.data.pages.flatMap((page) => page.posts);

  if (posts.length === 0) {
    return (
      <div className="empty-state-block">
        <Icon name="search" className="empty-state-icon" />
        <h2>{t("noPostsTitle", { query })}</h2>
        <p className="muted">{t("noPostsBody")}</p>
      </div>
    );
  }
  return (
    <>
      <div role="feed" aria-label={t("postsFeedLabel", { query })} aria-busy={results.isFetchingNextPage} className="feed">
        {posts.map((post) => (
          <LivePostCard
            key={post.id}
            post={post}
            fetchedAt={results.dataUpdatedAt}
            onDeleted={() => void queryClient.invalidateQueries({ queryKey: options.queryKey })}
          />
        ))}
      </div>
      <LoadMore query={results} entries={posts.map((post) => ({ key: post.id, post, repostedBy: null }))} />
    </>
  );
}
