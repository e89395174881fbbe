// Profiles at /@handle. The segment arrives as "@alice" or "%40alice"; anything not starting
// with "@" is no profile (and static routes such as /settings take precedence anyway).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { cache, Suspense } from "react";
import { getQueryClient, HydrateClient, trpc } from "@/app/_shared/trpc/server";
import { ProfileContent, type ProfileTab } from "@/app/_social/people/profile-content";
import { handleFromSegment } from "@/app/_social/people/profile-href";
import { isUnavailable, requireViewer } from "@/app/_social/require-viewer";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { TimelineSkeleton } from "@/app/_social/timeline/timeline-skeleton";
import { nextCursor } from "@/app/_social/timeline/next-cursor";

interface ProfilePageProps {
  params: Promise<{ handle: string }>;
  searchParams: Promise<{ tab?: string | string[] }>;
}

const loadProfile = cache(async (segment: string) => {
  const handle = handleFromSegment(segment);
  if (!handle) return null;
  try {
    return await getQueryClient().fetchQuery(trpc.social.people.profile.queryOptions({ handle }));
  } catch (error) {
    if (isUnavailable(error)) return null;
    throw error;
  }
});

function tabOf(value: string | string[] | undefined): ProfileTab {
  return value === "replies" || value === "media" ? value : "posts";
}

export async function generateMetadata({ params }: ProfilePageProps): Promise<Metadata> {
  const profile = await loadProfile((await params).handle);
  if (!profile) return { title: (await getTranslations("app"))("notFoundTitle") };
  return { title: `${profile.displayName} (@${profile.handle})` };
}

export default async function ProfilePage({ params, searchParams }: ProfilePageProps) {
  const segment = (await params).handle;
  // Not a profile address at all (say /favicon.ico): no need to ask anyone to log in first.
  if (!handleFromSegment(segment)) notFound();
  await requireViewer();
  const profile = await loadProfile(segment);
  if (!profile) notFound();
  const tab = tabOf((await searchParams).tab);
  const t = await getTranslations("social");
  const queryClient = getQueryClient();
  if (profile.canSeePosts) {
    void queryClient.prefetchInfiniteQuery(trpc.social.timeline.profile.infiniteQueryOptions({ handle: profile.handle, tab }, { getNextPageParam: nextCursor }));
    // Awaited, unlike the timeline: the pinned post is read without suspending, so the server's
    // HTML and the browser's first render must agree on whether it is there.
    if (profile.pinnedPostId && tab === "posts") await queryClient.prefetchQuery(trpc.social.posts.get.queryOptions({ id: profile.pinnedPostId }));
  }
  if (profile.isSelf) void queryClient.prefetchQuery(trpc.social.people.followRequests.queryOptions());
  return (
    <>
      <ColumnHeader title={profile.displayName} subtitle={t("postCountPlain", { count: profile.counts.posts })} back />
      <HydrateClient>
        <Suspense fallback={<TimelineSkeleton />}>
          <ProfileContent handle={profile.handle} tab={tab} />
        </Suspense>
      </HydrateClient>
    </>
  );
}
