"use client";
import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Icon } from "@/app/_shared/ui/icons";
import { useTRPC } from "@/app/_shared/trpc/client";
import { TimelineFeed } from "./timeline-feed";
import { nextCursor } from "./next-cursor";

export function BookmarksTimeline() {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const query = useSuspenseInfiniteQuery(trpc.social.timeline.bookmarks.infiniteQueryOptions({}, { getNextPageParam: nextCursor }));
  return (
    <TimelineFeed
      query={query}
      label={t("bookmarksFeedLabel")}
      empty={
        <div className="empty-state-block">
          <Icon name="bookmark" className="empty-state-icon" />
          <h2>{t("bookmarksEmptyTitle")}</h2>
          <p className="muted">{t("bookmarksEmptyBody")}</p>
        </div>
      }
    />
  );
}
