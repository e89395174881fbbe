"use client";
// A post card for lists that are not timelines (search results, notifications). Likes, reposts,
// bookmarks and edits change posts through the post cache, which reaches timelines, threads and
// single-post queries only; so each post here is read through its single-post query, seeded from
// the list. The list's newer copy replaces an older one; the post cache's edits keep the time of
// the copy they changed, so they are not undone by the list they came from.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { PostView } from "@/app/_social/wire/views";
import { PostCard } from "../post/post-card";

interface LivePostCardProps {
  post: PostView;
  /** When the list holding `post` was fetched (the query's dataUpdatedAt). */
  fetchedAt: number;
  onDeleted?: () => void;
}

export function LivePostCard({ post, fetchedAt, onDeleted }: LivePostCardProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  useEffect(() => {
    const queryKey = trpc.social.posts.get.queryKey({ id: post.id });
    const state = queryClient.getQueryState(queryKey);
    if (!state?.data || state.dataUpdatedAt < fetchedAt) queryClient.setQueryData(queryKey, post, { updatedAt: fetchedAt });
  }, [trpc, queryClient, post, fetchedAt]);

  // Never fetched on its own: the list is the source, the cache only carries local changes.
  const { data } = useQuery({
    ...trpc.social.posts.get.queryOptions({ id: post.id }),
    initialData: post,
    initialDataUpdatedAt: fetchedAt,
    enabled: false,
    staleTime: Infinity,
  });
  // A single-post query that failed earlier holds no data, and initialData does not replace it.
  return <PostCard post={data ?? post} onDeleted={onDeleted} />;
}
