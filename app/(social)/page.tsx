import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { RestoredNotice } from "@/app/_privacy/restored-notice";
import { getQueryClient, HydrateClient, trpc } from "@/app/_shared/trpc/server";
import { Composer } from "@/app/_social/composer/composer";
import { requireViewer } from "@/app/_social/require-viewer";
import { QueryErrorBoundary } from "@/app/_social/search/query-error-boundary";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { StoriesBar } from "@/app/_social/stories/stories-bar";
import { StoriesBarSkeleton } from "@/app/_social/stories/stories-bar-skeleton";
import { HomeTimeline } from "@/app/_social/timeline/home-timeline";
import { TimelineSkeleton } from "@/app/_social/timeline/timeline-skeleton";
import { nextCursor } from "@/app/_social/timeline/next-cursor";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("home"))("title") };
}

export default async function HomePage() {
  const me = await requireViewer();
  const t = await getTranslations("home");
  const tStories = await getTranslations("stories");
  const queryClient = getQueryClient();
  void queryClient.prefetchInfiniteQuery(trpc.social.timeline.home.infiniteQueryOptions({}, { getNextPageParam: nextCursor }));
  void queryClient.prefetchQuery(trpc.social.stories.reels.queryOptions());
  return (
    <>
      <ColumnHeader title={t("title")} />
      <Suspense>
        <RestoredNotice />
      </Suspense>
      <HydrateClient>
        {/* Stories that fail to load leave the timeline standing. */}
        <QueryErrorBoundary resetKey="stories" message={tStories("failed")}>
          <Suspense fallback={<StoriesBarSkeleton />}>
            <StoriesBar />
          </Suspense>
        </QueryErrorBoundary>
        <Composer mode={{ kind: "new" }} primary />
        <Suspense fallback={<TimelineSkeleton />}>
          <HomeTimeline displayName={me.displayName} handle={me.handle} />
        </Suspense>
      </HydrateClient>
    </>
  );
}
