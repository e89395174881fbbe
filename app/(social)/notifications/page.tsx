import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { getQueryClient, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { NotificationList } from "@/app/_social/notifications/notification-list";
import { requireViewer } from "@/app/_social/require-viewer";
import { QueryErrorBoundary } from "@/app/_social/search/query-error-boundary";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { TimelineSkeleton } from "@/app/_social/timeline/timeline-skeleton";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("notifications"))("title") };
}

export default async function NotificationsPage() {
  await requireViewer();
  const t = await getTranslations("notifications");
  void getQueryClient().prefetchQuery(trpc.social.notifications.list.queryOptions());
  return (
    <>
      <ColumnHeader title={t("title")} />
      <HydrateClient>
        <QueryErrorBoundary resetKey="notifications">
          <Suspense fallback={<TimelineSkeleton count={4} />}>
            <NotificationList />
          </Suspense>
        </QueryErrorBoundary>
      </HydrateClient>
    </>
  );
}
