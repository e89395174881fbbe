"use client";
import { HydrationBoundary, type DehydratedState } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Suspense } from "react";
import { HydrationGate } from "@/app/_shared/ui/hydration-gate";
import { Composer } from "../composer/composer";
import { QueryErrorBoundary } from "../search/query-error-boundary";
import { StoriesBar } from "../stories/stories-bar";
import { StoriesBarSkeleton } from "../stories/stories-bar-skeleton";
import { HomeTimeline } from "./home-timeline";
import { TimelineSkeleton } from "./timeline-skeleton";

/** `prefetched`: the timeline's first page and the stories, as the server started fetching them. */
export function HomeColumnParts({ prefetched, displayName, handle }: { prefetched: DehydratedState; displayName: string; handle: string }) {
  const tStories = useTranslations("stories");
  return (
    <HydrationBoundary state={prefetched}>
      <HydrationGate>
        {/* Stories that fail to load leave the timeline standing. */}
        <QueryErrorBoundary resetKey="stories" message={tStories("failed")}>
          <Suspense fallback={<StoriesBarSkeleton />}>
            <StoriesBar />
          </Suspense>
        </QueryErrorBoundary>
        <Composer mode={{ kind: "new" }} primary />
        <Suspense fallback={<TimelineSkeleton />}>
          <HomeTimeline displayName={displayName} handle={handle} />
        </Suspense>
      </HydrationGate>
    </HydrationBoundary>
  );
}
