import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { getQueryClient, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { requireViewer } from "@/app/_social/require-viewer";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { BookmarksTimeline } from "@/app/_social/timeline/bookmarks-timeline";
import { TimelineSkeleton } from "@/app/_social/timeline/timeline-skeleton";
import { nextCursor } from "@/app/_social/timeline/next-cursor";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("social"))("bookmarksTitle") };
}

export default async function BookmarksPage() {
  await requireViewer();
  const t = await getTranslations("social");
  void getQueryClient().prefetchInfiniteQuery(trpc.social.timeline.bookmarks.infiniteQueryOptions({}, { getNextPageParam: nextCursor }));
  return (
    <>
      <ColumnHeader title={t("bookmarksTitle")} subtitle={t("bookmarksSubtitle")} />
      <HydrateClient>
        <Suspense fallback={<TimelineSkeleton />}>
          <BookmarksTimeline />
        </Suspense>
      </HydrateClient>
    </>
  );
}
