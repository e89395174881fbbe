import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { searchHref, type SearchType } from "./search-query";

/** Posts or people, for the same words; each tab is a link, so the address says which. */
export async function SearchTabs({ query, type }: { query: string; type: SearchType }) {
  const t = await getTranslations("search");
  const tabs: { key: SearchType; label: string }[] = [
    { key: "posts", label: t("tabPosts") },
    { key: "people", label: t("tabPeople") },
  ];
  return (
    <nav className="tabs" aria-label={t("tabsLabel")}>
      {tabs.map((tab) => (
        <Link key={tab.key} href={searchHref(query, tab.key)} className="tab" aria-current={tab.key === type ? "page" : undefined} scroll={false} replace>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
