"use client";
// A thread: the posts above (oldest first, joined by a line), the post itself, a reply box, and
// its direct replies, oldest first, with more loaded as the reader reaches the end.
import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { Composer } from "../composer/composer";
import { PostCard } from "../post/post-card";
import { LoadMore } from "./load-more";
import { nextReplyCursor } from "./next-cursor";

export function ThreadView({ id }: { id: string }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const router = useRouter();
  const query = useSuspenseInfiniteQuery(trpc.social.timeline.thread.infiniteQueryOptions({ id }, { getNextPageParam: nextReplyCursor }));
  const mainRef = useRef<HTMLDivElement>(null);
  const first = query.data.pages[0]!;
  const replies = query.data.pages.flatMap((page) => page.replies.entries);
  const hasAncestors = first.ancestors.length > 0;

  // With posts above it, open the thread at the post the reader chose, not at the thread's start.
  useEffect(() => {
    if (hasAncestors) mainRef.current?.scrollIntoView({ block: "start" });
  }, [id, hasAncestors]);

  return (
    <div className="thread">
      {hasAncestors ? (
        <div className="thread-ancestors">
          {first.ancestors.map((post) => (
            <PostCard key={post.id} post={post} variant="ancestor" showReplyContext={false} />
          ))}
        </div>
      ) : null}
      <div ref={mainRef} className="thread-main">
        <PostCard post={first.post} variant="main" onDeleted={() => router.replace("/")} />
      </div>
      <Composer key={first.post.id} mode={{ kind: "reply", post: first.post }} />
      <h2 className="section-title">{t("repliesTitle")}</h2>
      {replies.length > 0 ? (
        <div role="feed" aria-label={t("repliesTitle")} aria-busy={query.isFetchingNextPage} className="feed">
          {replies.map((entry) => (
            <PostCard key={entry.key} post={entry.post} showReplyContext={false} />
          ))}
        </div>
      ) : (
        <p className="empty-state-inline">{t("noReplies")}</p>
      )}
      <LoadMore query={query} entries={replies} />
    </div>
  );
}
