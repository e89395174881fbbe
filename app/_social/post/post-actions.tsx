"use client";
import { useFormatter, useTranslations } from "next-intl";
import { Icon } from "@/app/_shared/ui/icons";
import { PopoverMenu } from "@/app/_shared/ui/popover-menu";
import type { PostView } from "@/app/_social/wire/views";
import { useOpenComposer } from "../composer/composer-provider";
import { usePostActions } from "./use-post-actions";

/** Reply, repost or quote, like and bookmark. The data-action names serve the keyboard shortcuts. */
export function PostActions({ post }: { post: PostView }) {
  const t = useTranslations("social");
  const format = useFormatter();
  const openComposer = useOpenComposer();
  const actions = usePostActions(post);
  const { counts, viewer } = post;
  const count = (n: number) => (n > 0 ? format.number(n, { notation: "compact" }) : "");

  return (
    <div className="post-actions" role="group" aria-label={t("postActions")}>
      <button
        type="button"
        className="action action-reply"
        data-action="reply"
        aria-label={t("replyAction", { count: counts.replies })}
        onClick={() => openComposer({ kind: "reply", post })}
      >
        <Icon name="reply" />
        <span className="action-count" aria-hidden="true">
          {count(counts.replies)}
        </span>
      </button>
      <PopoverMenu
        label={viewer.reposted ? t("repostedAction", { count: counts.reposts }) : t("repostAction", { count: counts.reposts })}
        buttonClassName={viewer.reposted ? "action action-repost is-active" : "action action-repost"}
        buttonProps={{ "data-action": "repost" }}
        align="start"
        items={[
          viewer.reposted
            ? { key: "undo", label: t("undoRepost"), icon: "repost", onSelect: actions.toggleRepost }
            : { key: "repost", label: t("repost"), icon: "repost", onSelect: actions.toggleRepost },
          { key: "quote", label: t("quote"), icon: "quote", onSelect: () => openComposer({ kind: "quote", post }) },
        ]}
      >
        <Icon name="repost" />
        <span className="action-count" aria-hidden="true">
          {count(counts.reposts)}
        </span>
      </PopoverMenu>
      <button
        type="button"
        className={viewer.liked ? "action action-like is-active" : "action action-like"}
        data-action="like"
        aria-pressed={viewer.liked}
        aria-label={t("likeAction", { count: counts.likes })}
        onClick={actions.toggleLike}
      >
        <Icon name="heart" />
        <span className="action-count" aria-hidden="true">
          {count(counts.likes)}
        </span>
      </button>
      <button
        type="button"
        className={viewer.bookmarked ? "action action-bookmark is-active" : "action action-bookmark"}
        data-action="bookmark"
        aria-pressed={viewer.bookmarked}
        aria-label={t("bookmarkAction")}
        onClick={actions.toggleBookmark}
      >
        <Icon name="bookmark" />
      </button>
    </div>
  );
}
