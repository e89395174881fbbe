// A public profile as logged-out visitors and crawlers see it: only for people who allowed
// search_engine_indexing (the server returns nothing otherwise). Rendered on the server, with no
// interactive parts, so it costs visitors almost no JavaScript.
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { PublicProfileView } from "@/server/data/social/public-views";
import { Avatar } from "@/app/_shared/ui/avatar";
import { PublicPost } from "./public-post";

export async function PublicProfile({ profile }: { profile: PublicProfileView }) {
  const t = await getTranslations("publicPages");
  const format = await getFormatter();
  return (
    <article className="public-page" aria-labelledby="public-profile-name">
      {profile.headerUrl ? (
        // eslint-disable-next-line @next/next/no-img-element -- served by Hearth's media route, which next/image's optimiser would bypass
        <img className="public-header-image" src={profile.headerUrl} alt="" />
      ) : null}
      <header className="public-profile-head">
        <Avatar person={profile} size="huge" />
        <div>
          <h1 id="public-profile-name">{profile.displayName}</h1>
          <p className="muted">@{profile.handle}</p>
        </div>
      </header>
      {profile.bio ? <p className="public-bio">{profile.bio}</p> : null}
      <p className="muted">
        {t("joined", { date: format.dateTime(profile.joinedAt, { year: "numeric", month: "long" }) })} ·{" "}
        {t("counts", { followers: profile.counts.followers, following: profile.counts.following, posts: profile.counts.posts })}
      </p>
      <p className="public-cta">
        <Link href="/signup" className="button button-primary">
          {t("joinToFollow", { handle: profile.handle })}
        </Link>{" "}
        <Link href="/login">{t("logIn")}</Link>
      </p>
      <h2 className="sr-only">{t("postsHeading")}</h2>
      {profile.posts.length === 0 ? (
        <p className="empty-state">{t("noPosts")}</p>
      ) : (
        <ol className="public-posts">
          {profile.posts.map((post) => (
            <li key={post.id}>
              <PublicPost post={post} />
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
