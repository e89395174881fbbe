"use client";
// A list of posts that grows at its end (see LoadMore). role="feed" lets screen readers page
// through the articles.
import type { InfiniteData } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { TimelinePage } from "@/app/_social/wire/views";
import { PostCard } from "../post/post-card";
import { LoadMore, type NextPageQuery } from "./load-more";

export interface TimelineQuery extends NextPageQuery {
  data: InfiniteData<TimelinePage, unknown>;
}

interface TimelineFeedProps {
  query: TimelineQuery;
  label: string;
  empty: ReactNode;
  /** Shown above the entries (the profile's pinned post). */
  before?: ReactNode;
  showReplyContext?: boolean;
}

export function TimelineFeed({ query, label, empty, before, showReplyContext = true }: TimelineFeedProps) {
  const entries = query.data.pages.flatMap((page) => page.entries);
  if (entries.length === 0 && !before) return <>{empty}</>;
  return (
    <>
      {before}
      {entries.length > 0 ? (
        <div role="feed" aria-label={label} aria-busy={query.isFetchingNextPage} className="feed">
          {entries.map((entry) => (
            <PostCard key={entry.key} post={entry.post} repostedBy={entry.repostedBy} showReplyContext={showReplyContext} />
          ))}
        </div>
      ) : (
        empty
      )}
      <LoadMore query={query} entries={entries} />
    </>
  );
}
