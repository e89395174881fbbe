import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { getQueryClient, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { requireViewer } from "@/app/_social/require-viewer";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { HashtagTimeline } from "@/app/_social/timeline/hashtag-timeline";
import { TimelineSkeleton } from "@/app/_social/timeline/timeline-skeleton";
import { withoutDirectionControls } from "@/app/_shared/isomorphic/bidi";
import { normalizeHashtag } from "@/app/_shared/isomorphic/post-text";
import { nextCursor } from "@/app/_social/timeline/next-cursor";

interface HashtagPageProps {
  params: Promise<{ tag: string }>;
}

/** The tag as the server stores it, or null when the address holds none. */
async function tagOf(params: HashtagPageProps["params"]): Promise<string | null> {
  const { tag } = await params;
  let decoded: string;
  try {
    decoded = decodeURIComponent(tag);
  } catch {
    return null;
  }
  // No hashtag holds a direction control; a link that carries one would show the tag reversed.
  const normalized = normalizeHashtag(withoutDirectionControls(decoded).replace(/^#/, "").trim());
  return normalized ? normalized : null;
}

export async function generateMetadata({ params }: HashtagPageProps): Promise<Metadata> {
  const tag = await tagOf(params);
  return { title: tag ? `#${tag}` : (await getTranslations("app"))("notFoundTitle") };
}

export default async function HashtagPage({ params }: HashtagPageProps) {
  await requireViewer();
  const tag = await tagOf(params);
  if (!tag) notFound();
  const t = await getTranslations("social");
  void getQueryClient().prefetchInfiniteQuery(trpc.social.timeline.hashtag.infiniteQueryOptions({ tag }, { getNextPageParam: nextCursor }));
  return (
    <>
      <ColumnHeader title={`#${tag}`} subtitle={t("hashtagSubtitle")} back />
      <HydrateClient>
        <Suspense fallback={<TimelineSkeleton />}>
          <HashtagTimeline tag={tag} />
        </Suspense>
      </HydrateClient>
    </>
  );
}
