"use client";
import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/app/_shared/trpc/client";
import { TimelineFeed } from "./timeline-feed";
import { nextCursor } from "./next-cursor";

export function HashtagTimeline({ tag }: { tag: string }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const query = useSuspenseInfiniteQuery(trpc.social.timeline.hashtag.infiniteQueryOptions({ tag }, { getNextPageParam: nextCursor }));
  return (
    <TimelineFeed
      query={query}
      label={t("hashtagFeedLabel", { tag })}
      empty={
        <div className="empty-state-block">
          <h2>{t("hashtagEmptyTitle", { tag })}</h2>
          <p className="muted">{t("hashtagEmptyBody")}</p>
        </div>
      }
    />
  );
}
