"use client";
// A post shown inside another: a quote, or the parent in the reply composer. Clicking it opens
// the quoted post; its time is the keyboard-reachable link to the same place.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { MouseEvent } from "react";
import type { QuotedPostView } from "@/app/_social/wire/views";
import { Avatar } from "@/app/_shared/ui/avatar";
import { ContentWarningGate } from "./content-warning-gate";
import { MediaGrid } from "./media-grid";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
import { RichText } from "./rich-text";
import { isInteractiveTarget } from "./is-interactive-target";

export function QuotedPost({ quote, interactive = true }: { quote: QuotedPostView | "unavailable"; interactive?: boolean }) {
  const t = useTranslations("social");
  const router = useRouter();
  if (quote === "unavailable") {
    return <div className="quote quote-unavailable">{t("quoteUnavailable")}</div>;
  }
  function onClick(event: MouseEvent<HTMLDivElement>) {
    if (!interactive || quote === "unavailable" || isInteractiveTarget(event)) return;
    event.stopPropagation();
    router.push(`/post/${quote.id}`);
  }
  return (
    <div className={interactive ? "quote quote-interactive" : "quote"} data-quote="" onClick={onClick}>
      <div className="quote-header">
        <Avatar person={quote.author} size="small" />
        <span className="post-name">{quote.author.displayName}</span>
        <span className="post-handle">@{quote.author.handle}</span>
        <span aria-hidden="true" className="post-dot">
          ·
        </span>
        {interactive ? (
          <Link href={`/post/${quote.id}`} className="post-time">
            <RelativeTime date={quote.createdAt} />
          </Link>
        ) : (
          <span className="post-time">
            <RelativeTime date={quote.createdAt} />
          </span>
        )}
      </div>
      <ContentWarningGate warning={quote.contentWarning}>
        {quote.text ? (
          <p className="post-text" dir="auto">
            <RichText text={quote.text} />
          </p>
        ) : null}
        <MediaGrid media={quote.media} compact />
      </ContentWarningGate>
    </div>
  );
}
