// Profiles at /@handle. The segment arrives as "@alice" or "%40alice"; anything not starting
// with "@" is no profile (and static routes such as /settings take precedence anyway).
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { cache, Suspense } from "react";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { ProfileContent, type ProfileTab } from "@/app/_social/people/profile-content";
import { handleFromSegment } from "@/app/_social/people/profile-href";
import { PublicProfile } from "@/app/_social/public/public-profile";
import { isUnavailable, signedIn } from "@/app/_social/require-viewer";
import "@/app/_social/public/public.css";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { TimelineSkeleton } from "@/app/_social/timeline/timeline-skeleton";
import { nextCursor } from "@/app/_social/timeline/next-cursor";

interface ProfilePageProps {
  params: Promise<{ handle: string }>;
  searchParams: Promise<{ tab?: string | string[] }>;
}

/** For logged-out visitors: the profile, only if its owner made it public. */
const loadPublicProfile = cache(async (segment: string) => {
  const handle = handleFromSegment(segment);
  return handle ? (await serverCaller()).social.public.profile({ handle }) : null;
});

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
  const segment = (await params).handle;
  if (!(await signedIn())) {
    const open = await loadPublicProfile(segment);
    // Only a profile its owner made public may be indexed; the layout says noindex to all else.
    return open ? { title: `${open.displayName} (@${open.handle})`, description: open.bio || undefined, robots: { index: true, follow: true } } : {};
  }
  const profile = await loadProfile(segment);
  if (!profile) return { title: (await getTranslations("app"))("notFoundTitle") };
  return { title: `${profile.displayName} (@${profile.handle})` };
}

export default async function ProfilePage({ params, searchParams }: ProfilePageProps) {
  const segment = (await params).handle;
  // Not a profile address at all (say /favicon.ico): no need to ask anyone to log in first.
  if (!handleFromSegment(segment)) notFound();
  if (!(await signedIn())) {
    const open = await loadPublicProfile(segment);
    if (!open) redirect("/login");
    return <PublicProfile profile={open} />;
  }
  const profile = await loadProfile(segment);
  if (!profile) notFound();
  const tab = tabOf((await searchParams).tab);
  const t = await getTranslations("social");
  const queryClient = getQueryClient();
  if (profile.canSeePosts) {
    void queryClient.prefetchInfiniteQuery(
      trpc.social.timeline.profile.infiniteQueryOptions({ handle: profile.handle, tab }, { getNextPageParam: nextCursor }),
    );
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
