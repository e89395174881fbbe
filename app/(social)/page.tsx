import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { RestoredNotice } from "@/app/_privacy/restored-notice";
import { getQueryClient, prefetchedState, trpc } from "@/app/_shared/trpc/server";
import { requireViewer } from "@/app/_social/require-viewer";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { HomeColumn } from "@/app/_social/timeline/home-column";
import { nextCursor } from "@/app/_social/timeline/next-cursor";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("home"))("title") };
}

export default async function HomePage() {
  const me = await requireViewer();
  const t = await getTranslations("home");
  const queryClient = getQueryClient();
  void queryClient.prefetchInfiniteQuery(trpc.social.timeline.home.infiniteQueryOptions({}, { getNextPageParam: nextCursor }));
  void queryClient.prefetchQuery(trpc.social.stories.reels.queryOptions());
  return (
    <>
      <ColumnHeader title={t("title")} />
      <Suspense>
        <RestoredNotice />
      </Suspense>
      <HomeColumn prefetched={prefetchedState()} displayName={me.displayName} handle={me.handle} />
    </>
  );
}
