// One public post for logged-out visitors: text as React nodes (never HTML), images with their
// descriptions, a content warning as a native disclosure (no JavaScript needed).
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { PublicPostView } from "@/server/data/social/public-views";
import { Avatar } from "@/app/_shared/ui/avatar";
import { RichText } from "../post/rich-text";

export async function PublicPost({ post, large = false }: { post: PublicPostView; large?: boolean }) {
  const t = await getTranslations("publicPages");
  const format = await getFormatter();
  const body = (
    <>
      {post.text ? (
        <p className={large ? "public-post-text public-post-text-large" : "public-post-text"}>
          <RichText text={post.text} />
        </p>
      ) : null}
      {post.media.length ? (
        <div className="public-media">
          {post.media.map((m) => (
            // eslint-disable-next-line @next/next/no-img-element -- served by Hearth's media route, which next/image's optimiser would bypass
            <img key={m.id} src={m.previewUrl} alt={m.altText} width={m.width} height={m.height} loading="lazy" decoding="async" />
          ))}
        </div>
      ) : null}
    </>
  );
  return (
    <article className="public-post" aria-label={t("postBy", { name: post.author.displayName })}>
      <header className="public-post-head">
        <Avatar person={post.author} size="medium" />
        <span>
          <strong>{post.author.displayName}</strong> <span className="muted">@{post.author.handle}</span>
        </span>
        <Link href={`/post/${post.id}`} className="muted public-post-time">
          <time dateTime={post.createdAt.toISOString()}>{format.dateTime(post.createdAt, { dateStyle: "medium", timeStyle: "short" })}</time>
        </Link>
      </header>
      {post.contentWarning ? (
        <details>
          <summary>{t("contentWarning", { warning: post.contentWarning })}</summary>
          {body}
        </details>
      ) : (
        body
      )}
      <p className="muted public-post-counts">
        {t("postCounts", { replies: post.counts.replies, reposts: post.counts.reposts, likes: post.counts.likes })}
        {post.editedAt ? ` · ${t("edited")}` : null}
      </p>
    </article>
  );
}
