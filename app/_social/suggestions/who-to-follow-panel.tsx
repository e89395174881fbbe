"use client";
// The panel of "who to follow" (see who-to-follow.tsx for when it is shown): the people, and a
// line that says honestly how they were chosen.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/app/_shared/trpc/client";
import { PersonRow } from "./person-row";

const SUGGESTIONS_STALE_MS = 10 * 60 * 1000;

export function WhoToFollowPanel() {
  const t = useTranslations("suggestions");
  const trpc = useTRPC();
  const query = useQuery(trpc.social.people.suggestions.queryOptions(undefined, { staleTime: SUGGESTIONS_STALE_MS, refetchOnWindowFocus: false }));
  const titleId = "who-to-follow-title";

  let body;
  if (query.isPending) {
    body = (
      <div aria-busy="true">
        <p className="sr-only" role="status">
          {t("loading")}
        </p>
        <ul className="person-list" aria-hidden="true">
          {[0, 1, 2].map((i) => (
            <li key={i} className="person-row person-row-skeleton">
              <span className="skeleton skeleton-avatar-medium" />
              <span className="skeleton skeleton-bar" />
            </li>
          ))}
        </ul>
      </div>
    );
  } else if (query.isError) {
    body = (
      <div className="query-error" role="alert">
        <p>{t("failed")}</p>
        <button type="button" className="button button-quiet button-small" onClick={() => query.refetch()}>
          {t("tryAgain")}
        </button>
      </div>
    );
  } else {
    const { personalized, people } = query.data;
    body = (
      <>
        {people.length > 0 ? (
          <ul className="person-list" aria-labelledby={titleId}>
            {people.map((person) => (
              <PersonRow key={person.id} person={person} />
            ))}
          </ul>
        ) : (
          <p className="muted">{t("none")}</p>
        )}
        <p className="suggestions-basis">
          {t.rich(personalized ? "personalized" : "notPersonalized", { link: (chunks) => <Link href="/settings/privacy#choices">{chunks}</Link> })}
        </p>
      </>
    );
  }

  return (
    <section className="aside-card who-to-follow" aria-labelledby={titleId}>
      <h2 id={titleId}>{t("title")}</h2>
      {body}
    </section>
  );
}
