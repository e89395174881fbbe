"use client";
// Likes, reposts and bookmarks change the cache at once (every list holding the post), then tell
// the server; if it refuses, the cache goes back and the reason is announced. Mutations on one
// post run one after another (scope), so quick double clicks reach the server in order.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDescribeError, type HearthClientError } from "@/app/_shared/ui/describe-error";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { PostView } from "@/app/_social/wire/views";
import { usePostCache, type CacheSnapshot } from "./use-post-cache";

export function usePostActions(post: PostView) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cache = usePostCache();
  const toast = useToast();
  const describeError = useDescribeError();
  const scope = { id: `post:${post.id}` };

  function failed(error: HearthClientError, snapshot: CacheSnapshot | undefined) {
    if (snapshot) cache.restore(snapshot);
    toast({ kind: "error", message: describeError(error).form ?? t("actionFailed") });
  }

  const like = useMutation(
    trpc.social.posts.setLike.mutationOptions({
      scope,
      onMutate: ({ id, liked }) =>
        cache.update(id, (p) => ({ ...p, viewer: { ...p.viewer, liked }, counts: { ...p.counts, likes: Math.max(0, p.counts.likes + (liked ? 1 : -1)) } })),
      onError: (error, _input, snapshot) => failed(error, snapshot),
    }),
  );

  const repost = useMutation(
    trpc.social.posts.setRepost.mutationOptions({
      scope,
      onMutate: ({ id, reposted }) =>
        cache.update(id, (p) => ({
          ...p,
          viewer: { ...p.viewer, reposted },
          counts: { ...p.counts, reposts: Math.max(0, p.counts.reposts + (reposted ? 1 : -1)) },
        })),
      onError: (error, _input, snapshot) => failed(error, snapshot),
      onSuccess: (_result, { reposted }) => toast({ message: reposted ? t("reposted") : t("repostUndone") }),
    }),
  );

  const bookmark = useMutation(
    trpc.social.posts.setBookmark.mutationOptions({
      scope,
      onMutate: ({ id, bookmarked }) => cache.update(id, (p) => ({ ...p, viewer: { ...p.viewer, bookmarked } })),
      onError: (error, _input, snapshot) => failed(error, snapshot),
      onSuccess: (_result, { bookmarked }) => {
        toast({
          message: bookmarked ? t("bookmarked") : t("bookmarkRemoved"),
          link: bookmarked ? { href: "/bookmarks", label: t("viewBookmarks") } : undefined,
        });
        // Stale for the next visit, but not refetched under the reader's eyes.
        void queryClient.invalidateQueries({ queryKey: trpc.social.timeline.bookmarks.pathKey(), refetchType: "none" });
      },
    }),
  );

  return {
    toggleLike: () => like.mutate({ id: post.id, liked: !post.viewer.liked }),
    toggleRepost: () => repost.mutate({ id: post.id, reposted: !post.viewer.reposted }),
    toggleBookmark: () => bookmark.mutate({ id: post.id, bookmarked: !post.viewer.bookmarked }),
  };
}
