"use client";
// A profile: header image, picture, name, bio, counts, the follow button and menu (or "Edit
// profile" on one's own), then the posts the viewer may see under three tabs. It reads the
// profile from the query cache, so following, muting and blocking change it at once.
import { useQuery, useSuspenseInfiniteQuery, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Suspense, useState } from "react";
import { Icon } from "@/app/_shared/ui/icons";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { ProfileData } from "./profile-data";
import { PostCard } from "../post/post-card";
import { RichText } from "../post/rich-text";
import { PostSkeletons } from "../timeline/post-skeletons";
import { TimelineFeed } from "../timeline/timeline-feed";
import { Avatar } from "@/app/_shared/ui/avatar";
import { EditProfileDialog } from "./edit-profile-dialog";
import { FollowButton } from "./follow-button";
import { FollowRequests } from "./follow-requests";
import { profileHref } from "./profile-href";
import { ProfileMenu } from "./profile-menu";
import { useBlock } from "./use-block";
import { nextCursor } from "../timeline/next-cursor";

export type ProfileTab = "posts" | "replies" | "media";

export function ProfileContent({ handle, tab }: { handle: string; tab: ProfileTab }) {
  const trpc = useTRPC();
  const { data: profile } = useSuspenseQuery(trpc.social.people.profile.queryOptions({ handle }));
  return (
    <>
      <ProfileHeader profile={profile} />
      {profile.isSelf ? (
        <Suspense fallback={null}>
          <FollowRequests isProtected={profile.isProtected} handle={profile.handle} />
        </Suspense>
      ) : null}
      {profile.canSeePosts ? (
        <>
          <ProfileTabs handle={profile.handle} tab={tab} />
          <Suspense fallback={<PostSkeletons count={3} />}>
            <ProfileTimeline profile={profile} tab={tab} />
          </Suspense>
        </>
      ) : (
        <ProfileClosed profile={profile} />
      )}
    </>
  );
}

function ProfileHeader({ profile }: { profile: ProfileData }) {
  const t = useTranslations("social");
  const format = useFormatter();
  const [editing, setEditing] = useState(false);
  const r = profile.relationship;
  return (
    <section className="profile" aria-label={t("profileOf", { handle: profile.handle })}>
      <div className="profile-banner">
        {profile.headerUrl ? (
          // eslint-disable-next-line @next/next/no-img-element -- private, session-bound media that next/image's optimiser could not fetch
          <img src={profile.headerUrl} alt="" />
        ) : null}
      </div>
      <div className="profile-top">
        <div className="profile-avatar">
          <Avatar person={profile} size="huge" />
        </div>
        <div className="profile-buttons">
          {profile.isSelf ? (
            <button type="button" className="button button-quiet" onClick={() => setEditing(true)}>
              {t("editProfile")}
            </button>
          ) : (
            <>
              <ProfileMenu profile={profile} />
              {r?.blocking ? null : (
                <Link href={`/chat/@${profile.handle}`} className="button button-quiet">
                  {t("message")}
                </Link>
              )}
              {r?.blocking ? <UnblockButton profile={profile} /> : <FollowButton profile={profile} />}
            </>
          )}
        </div>
      </div>
      <div className="profile-details">
        <p className="profile-name">
          {profile.displayName}
          {profile.isProtected ? (
            <span className="post-lock" title={t("protectedAccount")}>
              <Icon name="lock" />
              <span className="sr-only">{t("protectedAccount")}</span>
            </span>
          ) : null}
        </p>
        <p className="profile-handle">
          @{profile.handle}
          {r?.followedBy ? <span className="chip">{t("followsYou")}</span> : null}
          {r?.muting ? <span className="chip">{t("mutedChip")}</span> : null}
        </p>
        {profile.bio ? (
          <p className="profile-bio" dir="auto">
            <RichText text={profile.bio} />
          </p>
        ) : null}
        <p className="profile-meta">
          <Icon name="calendar" />
          {t("joined", { date: format.dateTime(new Date(profile.joinedAt), { month: "long", year: "numeric" }) })}
        </p>
        {profile.relationship?.following && profile.relationship.followedBy ? <LastActive userId={profile.id} /> : null}
        <ul className="profile-counts">
          <li>{t.rich("followingCount", { count: profile.counts.following, strong: (chunks) => <strong>{chunks}</strong> })}</li>
          <li>{t.rich("followerCount", { count: profile.counts.followers, strong: (chunks) => <strong>{chunks}</strong> })}</li>
          <li>{t.rich("postCount", { count: profile.counts.posts, strong: (chunks) => <strong>{chunks}</strong> })}</li>
        </ul>
      </div>
      {editing ? <EditProfileDialog profile={profile} open onClose={() => setEditing(false)} /> : null}
    </section>
  );
}

function UnblockButton({ profile }: { profile: ProfileData }) {
  const t = useTranslations("social");
  const block = useBlock(profile);
  return (
    <button
      type="button"
      className="button button-danger button-toggle"
      onClick={() => !block.isPending && block.mutate({ userId: profile.id, blocked: false })}
    >
      <span className="label-idle">{t("blockedState")}</span>
      <span className="label-active">{t("unblockShort")}</span>
    </button>
  );
}

function ProfileTabs({ handle, tab }: { handle: string; tab: ProfileTab }) {
  const t = useTranslations("social");
  const tabs: { key: ProfileTab; href: string; label: string }[] = [
    { key: "posts", href: profileHref(handle), label: t("tabPosts") },
    { key: "replies", href: profileHref(handle, "replies"), label: t("tabReplies") },
    { key: "media", href: profileHref(handle, "media"), label: t("tabMedia") },
  ];
  return (
    <nav className="tabs" aria-label={t("profileSections")}>
      {tabs.map((item) => (
        <Link key={item.key} href={item.href} className="tab" aria-current={item.key === tab ? "page" : undefined} scroll={false} replace>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

function ProfileTimeline({ profile, tab }: { profile: ProfileData; tab: ProfileTab }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const query = useSuspenseInfiniteQuery(trpc.social.timeline.profile.infiniteQueryOptions({ handle: profile.handle, tab }, { getNextPageParam: nextCursor }));
  const pinnedId = tab === "posts" ? profile.pinnedPostId : null;
  const pinned = useQuery({ ...trpc.social.posts.get.queryOptions({ id: pinnedId ?? "" }), enabled: pinnedId !== null, retry: false });
  const emptyKey = tab === "posts" ? "profileEmptyPosts" : tab === "replies" ? "profileEmptyReplies" : "profileEmptyMedia";
  return (
    <TimelineFeed
      query={query}
      label={t("profileFeedLabel", { handle: profile.handle })}
      before={pinnedId && pinned.data ? <PostCard post={pinned.data} pinned /> : null}
      empty={
        <div className="empty-state-block">
          <p className="muted">{profile.isSelf ? t(`${emptyKey}Self`) : t(emptyKey, { handle: profile.handle })}</p>
        </div>
      }
    />
  );
}

function ProfileClosed({ profile }: { profile: ProfileData }) {
  const t = useTranslations("social");
  const block = useBlock(profile);
  if (profile.relationship?.blocking) {
    return (
      <div className="empty-state-block">
        <Icon name="block" className="empty-state-icon" />
        <h2>{t("youBlockedTitle", { handle: profile.handle })}</h2>
        <p className="muted">{t("youBlockedBody")}</p>
        <button type="button" className="button button-quiet" onClick={() => block.mutate({ userId: profile.id, blocked: false })} disabled={block.isPending}>
          {t("unblock", { handle: profile.handle })}
        </button>
      </div>
    );
  }
  return (
    <div className="empty-state-block">
      <Icon name="lock" className="empty-state-icon" />
      <h2>{t("protectedTitle")}</h2>
      <p className="muted">{t("protectedBody", { handle: profile.handle })}</p>
    </div>
  );
}

/** "Active 5 minutes ago", for mutual followers who share presence; nothing otherwise. */
function LastActive({ userId }: { userId: string }) {
  const t = useTranslations("social");
  const format = useFormatter();
  const trpc = useTRPC();
  const { data: lastActiveAt } = useQuery(trpc.social.people.lastActive.queryOptions({ userId }));
  if (!lastActiveAt) return null;
  return <p className="profile-meta">{t("lastActive", { time: format.relativeTime(new Date(lastActiveAt)) })}</p>;
}
