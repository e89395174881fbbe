"use client";
// People whose handle or name resembles the words. An email address finds its owner only if they
// allowed it; the empty result says so, since it cannot say whether such a person exists.
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Icon } from "@/app/_shared/ui/icons";
import { useTRPC } from "@/app/_shared/trpc/client";
import { PersonRow } from "../suggestions/person-row";
import { looksLikeEmail } from "./search-query";

export function PeopleResults({ query }: { query: string }) {
  const t = useTranslations("search");
  const trpc = useTRPC();
  const { data: people } = useSuspenseQuery(trpc.social.search.people.queryOptions({ query }));

  if (people.length === 0) {
    return (
      <div className="empty-state-block">
        <Icon name="user" className="empty-state-icon" />
        <h2>{t("noPeopleTitle", { query })}</h2>
        <p className="muted">
          {t.rich(looksLikeEmail(query) ? "noPeopleByEmail" : "emailHint", {
            link: (chunks) => <Link href="/settings/privacy#choices">{chunks}</Link>,
          })}
        </p>
      </div>
    );
  }
  return (
    <ul className="person-list search-people" aria-label={t("peopleListLabel", { query })}>
      {people.map((person) => (
        <PersonRow key={person.id} person={person} />
      ))}
    </ul>
  );
}
