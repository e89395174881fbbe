"use client";
// One post as every list shows it. The article is focusable (tabIndex -1) so the j/k shortcuts
// can move between posts, and is named by its author and time. A click on the card's empty
// space opens the thread, as people expect from X; every part that does something else is a
// real link or button of its own.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useId, type MouseEvent } from "react";
import { Icon } from "@/app/_shared/ui/icons";
import type { AuthorView, PostView } from "@/app/_social/wire/views";
import { Avatar } from "@/app/_shared/ui/avatar";
import { profileHref } from "../people/profile-href";
import { ContentWarningGate } from "./content-warning-gate";
import { isInteractiveTarget } from "./is-interactive-target";
import { MediaGrid } from "./media-grid";
import { PostActions } from "./post-actions";
import { EditedMarker } from "./edited-marker";
import { PostAuthorMenu } from "./post-author-menu";
import { PostReportMenu } from "./post-report-menu";
import { QuotedPost } from "./quoted-post";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
import { RichText } from "./rich-text";

export type PostCardVariant = "feed" | "main" | "ancestor";

interface PostCardProps {
  post: PostView;
  repostedBy?: AuthorView | null;
  /** feed: in a list; main: the post a thread page is about; ancestor: above it, joined by a line. */
  variant?: PostCardVariant;
  showReplyContext?: boolean;
  /** Marks the profile's pinned post. */
  pinned?: boolean;
  onDeleted?: () => void;
}

export function PostCard({ post, repostedBy = null, variant = "feed", showReplyContext = true, pinned = false, onDeleted }: PostCardProps) {
  const t = useTranslations("social");
  const format = useFormatter();
  const router = useRouter();
  const uid = useId();
  const href = `/post/${post.id}`;
  const { author } = post;
  const contextId = repostedBy || pinned ? `${uid}-context` : null;
  const labelledBy = [contextId, `${uid}-author`, `${uid}-time`].filter(Boolean).join(" ");

  const { counts } = post;
  const stats = [
    counts.replies ? t("replyCount", { count: counts.replies }) : null,
    counts.reposts ? t("repostCount", { count: counts.reposts }) : null,
    counts.quotes ? t("quoteCount", { count: counts.quotes }) : null,
    counts.likes ? t("likeCount", { count: counts.likes }) : null,
  ].filter((stat): stat is string => stat !== null);

  function onClick(event: MouseEvent<HTMLElement>) {
    if (variant === "main" || isInteractiveTarget(event)) return;
    router.push(href);
  }

  return (
    <article className={`post is-${variant}`} tabIndex={-1} data-post-id={post.id} data-href={href} aria-labelledby={labelledBy} onClick={onClick}>
      {pinned ? (
        <p className="post-context" id={contextId ?? undefined}>
          <Icon name="pin" />
          {t("pinnedPost")}
        </p>
      ) : repostedBy ? (
        <p className="post-context" id={contextId ?? undefined}>
          <Icon name="repost" />
          <Link href={profileHref(repostedBy.handle)}>{t("repostedBy", { handle: repostedBy.handle })}</Link>
        </p>
      ) : null}
      <div className="post-grid">
        <Link href={profileHref(author.handle)} className="post-avatar" tabIndex={-1} aria-hidden="true">
          <Avatar person={author} size="large" />
        </Link>
        <div className="post-content">
          <div className="post-header">
            <Link id={`${uid}-author`} href={profileHref(author.handle)} className="post-author">
              <span className="post-name">{author.displayName}</span>
              {author.isProtected ? (
                <span className="post-lock" title={t("protectedAccount")}>
                  <Icon name="lock" />
                  <span className="sr-only">{t("protectedAccount")}</span>
                </span>
              ) : null}
              <span className="post-handle">@{author.handle}</span>
            </Link>
            {variant === "main" ? null : (
              <>
                <span aria-hidden="true" className="post-dot">
                  ·
                </span>
                <Link href={href} className="post-time">
                  <RelativeTime id={`${uid}-time`} date={post.createdAt} />
                </Link>
              </>
            )}
            {post.editedAt ? <EditedMarker post={post} /> : null}
            {post.viewer.isAuthor ? <PostAuthorMenu post={post} onDeleted={onDeleted} /> : <PostReportMenu post={post} />}
          </div>
          {post.replyTo && showReplyContext ? (
            <p className="post-reply-context">
              {t.rich("replyingTo", {
                handle: () => <Link href={profileHref(post.replyTo!.authorHandle)}>@{post.replyTo!.authorHandle}</Link>,
              })}
            </p>
          ) : null}
          <ContentWarningGate warning={post.contentWarning}>
            {post.text ? (
              <p className="post-text" dir="auto">
                <RichText text={post.text} />
              </p>
            ) : null}
            <MediaGrid media={post.media} />
            {post.quote ? <QuotedPost quote={post.quote} /> : null}
          </ContentWarningGate>
          {variant === "main" ? (
            <>
              <p className="post-full-time">
                <time id={`${uid}-time`} dateTime={post.createdAt}>
                  {format.dateTime(new Date(post.createdAt), { dateStyle: "long", timeStyle: "short" })}
                </time>
              </p>
              {stats.length > 0 ? (
                <p className="post-stats">
                  {stats.map((stat) => (
                    <span key={stat}>{stat}</span>
                  ))}
                </p>
              ) : null}
            </>
          ) : null}
          <PostActions post={post} />
        </div>
      </div>
    </article>
  );
}
