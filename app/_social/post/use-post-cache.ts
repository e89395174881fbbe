"use client";
// Edits posts wherever the query cache holds them: every timeline page (home, profile, hashtag,
// bookmarks), every thread page (ancestors, the post, replies) and single-post queries. Used for
// optimistic likes, reposts and bookmarks (with a snapshot to roll back), edits and deletions.
//
// Writes keep each query's dataUpdatedAt: a local edit is not fresh server data, and the home
// timeline counts "new posts" from the time its data really arrived.
import { useQueryClient, type InfiniteData, type Query, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { PostView } from "@/app/_social/wire/views";
import type { ThreadView, TimelinePage } from "@/app/_social/wire/views";

/** Returns the post unchanged (same object), a changed copy, or null to remove it. */
export type PostMapper = (post: PostView) => PostView | null;

export type CacheSnapshot = { queryKey: QueryKey; data: unknown; updatedAt: number }[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
function isInfinite(value: unknown): value is InfiniteData<unknown, unknown> {
  return isObject(value) && Array.isArray(value.pages) && Array.isArray(value.pageParams);
}
function isTimelinePage(value: unknown): value is TimelinePage {
  return isObject(value) && Array.isArray(value.entries);
}
function isThreadPage(value: unknown): value is ThreadView {
  return isObject(value) && Array.isArray(value.ancestors) && isObject(value.post) && isTimelinePage(value.replies);
}
function isPostView(value: unknown): value is PostView {
  return isObject(value) && typeof value.id === "string" && isObject(value.counts) && isObject(value.viewer);
}

function mapTimelinePage(page: TimelinePage, map: PostMapper): TimelinePage {
  let changed = false;
  const entries: TimelinePage["entries"] = [];
  for (const entry of page.entries) {
    const post = map(entry.post);
    if (post !== entry.post) changed = true;
    if (post) entries.push(post === entry.post ? entry : { ...entry, post });
  }
  return changed ? { ...page, entries } : page;
}

function mapPosts(posts: PostView[], map: PostMapper): PostView[] {
  const next = posts.map(map);
  return next.every((p, i) => p === posts[i]) ? posts : next.filter((p): p is PostView => p !== null);
}

function mapThreadPage(page: ThreadView, map: PostMapper): ThreadView {
  const ancestors = mapPosts(page.ancestors, map);
  // The thread's own post stays (a deleted one is handled by its page, which navigates away).
  const post = map(page.post) ?? page.post;
  const replies = mapTimelinePage(page.replies, map);
  return ancestors === page.ancestors && post === page.post && replies === page.replies ? page : { ...page, ancestors, post, replies };
}

/** The same data with `map` applied to every post in it; the same object when nothing changed. */
export function mapPostsInData(data: unknown, map: PostMapper): unknown {
  if (isInfinite(data)) {
    const pages = data.pages.map((page) => (isThreadPage(page) ? mapThreadPage(page, map) : isTimelinePage(page) ? mapTimelinePage(page, map) : page));
    return pages.every((p, i) => p === data.pages[i]) ? data : { ...data, pages };
  }
  if (isPostView(data)) return map(data) ?? data;
  return data;
}

function applyToQueries(queryClient: QueryClient, roots: QueryKey[], map: PostMapper): CacheSnapshot {
  const snapshot: CacheSnapshot = [];
  for (const root of roots) {
    for (const query of queryClient.getQueryCache().findAll({ queryKey: root })) {
      const before = query.state.data;
      if (before === undefined) continue;
      const after = mapPostsInData(before, map);
      if (after === before) continue;
      snapshot.push({ queryKey: query.queryKey, data: before, updatedAt: query.state.dataUpdatedAt });
      queryClient.setQueryData(query.queryKey, after, { updatedAt: query.state.dataUpdatedAt });
    }
  }
  return snapshot;
}

function holdsPost(query: Query, postId: string): boolean {
  let found = false;
  mapPostsInData(query.state.data, (post) => {
    if (post.id === postId) found = true;
    return post;
  });
  return found;
}

export function usePostCache() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMemo(() => {
    const roots: QueryKey[] = [trpc.social.timeline.pathKey(), trpc.social.posts.get.pathKey()];
    return {
      /** Changes one post everywhere; returns what to restore if the server refuses. */
      async update(postId: string, change: (post: PostView) => PostView): Promise<CacheSnapshot> {
        // A fetch already under way would land afterwards and undo the optimistic change.
        await queryClient.cancelQueries({ predicate: (q) => q.state.fetchStatus === "fetching" && holdsPost(q, postId) });
        return applyToQueries(queryClient, roots, (post) => (post.id === postId ? change(post) : post));
      },
      /** Removes a deleted post everywhere; posts quoting it now show it as unavailable. */
      remove(postId: string): void {
        applyToQueries(queryClient, roots, (post) => {
          if (post.id === postId) return null;
          if (post.quote && post.quote !== "unavailable" && post.quote.id === postId) return { ...post, quote: "unavailable" };
          return post;
        });
      },
      /** Puts the viewer's new post at the top of the home timeline. */
      prependToHome(post: PostView): void {
        const entry = { key: `${post.id}:`, post, repostedBy: null };
        for (const query of queryClient.getQueryCache().findAll({ queryKey: trpc.social.timeline.home.pathKey() })) {
          const data = query.state.data;
          if (!isInfinite(data) || !isTimelinePage(data.pages[0])) continue;
          const [first, ...rest] = data.pages as TimelinePage[];
          const pages = [{ ...first!, entries: [entry, ...first!.entries] }, ...rest];
          queryClient.setQueryData(query.queryKey, { ...data, pages }, { updatedAt: query.state.dataUpdatedAt });
        }
      },
      /** Adds a new reply at the end of its parent's thread, when that end is loaded. */
      appendReply(parentId: string, reply: PostView): void {
        const entry = { key: `${reply.id}:`, post: reply, repostedBy: null };
        for (const query of queryClient.getQueryCache().findAll({ queryKey: trpc.social.timeline.thread.pathKey() })) {
          const data = query.state.data;
          if (!isInfinite(data)) continue;
          const pages = data.pages as unknown[];
          const last = pages.at(-1);
          if (!isThreadPage(last) || last.post.id !== parentId || last.replies.nextCursor) continue;
          const updated = { ...last, replies: { ...last.replies, entries: [...last.replies.entries, entry] } };
          queryClient.setQueryData(query.queryKey, { ...data, pages: [...pages.slice(0, -1), updated] }, { updatedAt: query.state.dataUpdatedAt });
        }
      },
      restore(snapshot: CacheSnapshot): void {
        for (const { queryKey, data, updatedAt } of snapshot) queryClient.setQueryData(queryKey, data, { updatedAt });
      },
    };
  }, [trpc, queryClient]);
}
