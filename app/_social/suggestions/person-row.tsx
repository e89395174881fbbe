"use client";
// One person in a list (search results, "who to follow"): picture, name and handle linking to the
// profile, and the follow button. The button reads the person's profile, which is what knows
// whether the viewer follows them, asked to, or is followed back, and keeps every follow button
// for that person in step.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { AuthorView } from "@/app/_social/wire/views";
import { Avatar } from "@/app/_shared/ui/avatar";
import { FollowButton } from "../people/follow-button";
import { profileHref } from "../people/profile-href";

export function PersonRow({ person }: { person: AuthorView }) {
  return (
    <li className="person-row">
      <Avatar person={person} size="medium" />
      <Link href={profileHref(person.handle)} className="person-name">
        <span className="post-name">{person.displayName}</span>
        <span className="post-handle">@{person.handle}</span>
      </Link>
      <div className="person-actions">
        <PersonFollowButton handle={person.handle} />
      </div>
    </li>
  );
}

function PersonFollowButton({ handle }: { handle: string }) {
  const t = useTranslations("suggestions");
  const trpc = useTRPC();
  const { data: profile, isPending } = useQuery({ ...trpc.social.people.profile.queryOptions({ handle }), retry: false });
  // The same width as the button, so the row does not jump when it arrives.
  if (isPending) return <span className="skeleton person-button-skeleton" aria-hidden="true" />;
  if (!profile) return null;
  if (profile.isSelf) return <span className="chip">{t("you")}</span>;
  if (profile.relationship?.blocking) return <span className="chip">{t("blocked")}</span>;
  return <FollowButton profile={profile} />;
}
