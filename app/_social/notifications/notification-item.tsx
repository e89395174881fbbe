"use client";
// One notification group: "alice and 2 others liked your post" with their pictures and an
// excerpt of the post; replies, quotes and mentions show the post itself, to answer in place.
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Icon, type IconName } from "@/app/_shared/ui/icons";
import type { NotificationGroup, NotificationKind } from "@/app/_social/wire/views";
import type { AuthorView, PostView } from "@/app/_social/wire/views";
import { Avatar } from "@/app/_shared/ui/avatar";
import { profileHref } from "../people/profile-href";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
import { LivePostCard } from "../search/live-post-card";
import { useViewer } from "../shell/viewer-context";

const ICONS: Record<NotificationKind, IconName> = {
  like: "heart",
  repost: "repost",
  reply: "reply",
  quote: "quote",
  mention: "feather",
  follow: "user",
  follow_request: "lock",
  export_ready: "check",
};

/** Kinds whose post is someone else's new post, shown in full. */
const SHOWS_POST: ReadonlySet<NotificationKind> = new Set(["reply", "quote", "mention"]);

const EXCERPT_LENGTH = 140;

interface NotificationItemProps {
  group: NotificationGroup;
  highlighted: boolean;
  fetchedAt: number;
}

export function NotificationItem({ group, highlighted, fetchedAt }: NotificationItemProps) {
  const t = useTranslations("notifications");
  const viewer = useViewer();
  const { kind, actors, post } = group;
  const sentence = useSentence(group);
  const full = SHOWS_POST.has(kind) && post !== null;

  return (
    <li className={`notification notification-${kind.replace("_", "-")}${highlighted ? " is-unread" : ""}${full ? " has-post" : ""}`}>
      <div className="notification-summary">
        <span className="notification-icon">
          <Icon name={ICONS[kind]} />
        </span>
        <div className="notification-main">
          {actors.length > 0 && !full && kind !== "export_ready" ? (
            <div className="notification-avatars">
              {actors.map((actor) => (
                <Link key={actor.id} href={profileHref(actor.handle)} tabIndex={-1} aria-hidden="true">
                  <Avatar person={actor} size="medium" />
                </Link>
              ))}
            </div>
          ) : null}
          <p className="notification-text">
            {highlighted ? <span className="sr-only">{t("unreadPrefix")} </span> : null}
            {sentence}
            <span aria-hidden="true" className="post-dot">
              {" · "}
            </span>
            <RelativeTime date={group.latestAt} />
          </p>
          {post && !full ? <PostExcerpt post={post} /> : null}
          {kind === "follow_request" ? (
            <p className="notification-link">
              <Link href={`${profileHref(viewer.handle)}#follow-requests-title`}>{t("reviewRequests")}</Link>
            </p>
          ) : null}
          {kind === "export_ready" ? (
            <p className="notification-link">
              <Link href="/settings/privacy#export">{t("openExport")}</Link>
            </p>
          ) : null}
        </div>
      </div>
      {full ? <LivePostCard post={post} fetchedAt={fetchedAt} /> : null}
    </li>
  );
}

function PostExcerpt({ post }: { post: PostView }) {
  const t = useTranslations("notifications");
  const text = post.text.trim();
  const firstImage = post.media[0];
  let excerpt: string;
  if (post.contentWarning) excerpt = t("excerptWarning", { warning: post.contentWarning });
  else if (text) excerpt = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text;
  else if (firstImage) excerpt = firstImage.altText ? t("excerptImage", { description: firstImage.altText }) : t("excerptImageUndescribed");
  else excerpt = t("excerptEmpty");
  return (
    <Link href={`/post/${post.id}`} className="notification-excerpt" dir="auto">
      {excerpt}
    </Link>
  );
}

/** The sentence, with each named person linking to their profile. */
function useSentence(group: NotificationGroup): ReactNode {
  const t = useTranslations("notifications");
  const [first, second] = group.actors;
  const link = (actor: AuthorView | undefined) =>
    function ActorLink(chunks: ReactNode) {
      return actor ? (
        <Link href={profileHref(actor.handle)} className="notification-actor">
          {chunks}
        </Link>
      ) : (
        chunks
      );
    };
  const who = t.rich("actors", {
    count: group.actorCount,
    others: group.actorCount - 1,
    first: first?.displayName ?? "",
    second: second?.displayName ?? "",
    a1: link(first),
    a2: link(second),
  });
  return t.rich(`kind.${group.kind}`, { count: group.actorCount, who: () => who });
}
