import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { getQueryClient, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { requireViewer } from "@/app/_social/require-viewer";
import { PeopleResults } from "@/app/_social/search/people-results";
import { PostResults } from "@/app/_social/search/post-results";
import { QueryErrorBoundary } from "@/app/_social/search/query-error-boundary";
import { SearchField } from "@/app/_social/search/search-field";
import { hashtagOf, MAX_QUERY_LENGTH, nextSearchCursor, queryOf, searchTypeOf } from "@/app/_social/search/search-query";
import { SearchTabs } from "@/app/_social/search/search-tabs";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { TimelineSkeleton } from "@/app/_social/timeline/timeline-skeleton";

interface SearchPageProps {
  searchParams: Promise<{ q?: string | string[]; type?: string | string[] }>;
}

export async function generateMetadata({ searchParams }: SearchPageProps): Promise<Metadata> {
  const t = await getTranslations("search");
  const query = queryOf((await searchParams).q);
  return { title: query ? t("titleWithQuery", { query: query.slice(0, 60) }) : t("title") };
}

export default async function SearchPage({ searchParams }: SearchPageProps) {
  await requireViewer();
  const params = await searchParams;
  const query = queryOf(params.q);
  const type = searchTypeOf(params.type);
  const t = await getTranslations("search");
  const tooLong = query.length > MAX_QUERY_LENGTH;
  const tag = hashtagOf(query);

  if (query && !tooLong) {
    const queryClient = getQueryClient();
    if (type === "posts")
      void queryClient.prefetchInfiniteQuery(trpc.social.search.posts.infiniteQueryOptions({ query }, { getNextPageParam: nextSearchCursor }));
    else void queryClient.prefetchQuery(trpc.social.search.people.queryOptions({ query }));
  }

  return (
    <>
      <ColumnHeader title={t("title")} />
      <SearchField query={query} type={type} />
      {!query ? (
        <div className="search-intro">
          <p>{t("intro")}</p>
          <p className="muted">{t("syntaxHint")}</p>
        </div>
      ) : tooLong ? (
        <p className="query-error" role="alert">
          {t("tooLong", { max: MAX_QUERY_LENGTH })}
        </p>
      ) : (
        <>
          <SearchTabs query={query} type={type} />
          {tag ? (
            <p className="search-hashtag">
              <Link href={`/hashtag/${encodeURIComponent(tag)}`}>{t("hashtagLink", { tag })}</Link>
            </p>
          ) : null}
          <HydrateClient>
            <QueryErrorBoundary resetKey={`${type}:${query}`}>
              <Suspense key={`${type}:${query}`} fallback={<TimelineSkeleton count={3} />}>
                {type === "posts" ? <PostResults query={query} /> : <PeopleResults query={query} />}
              </Suspense>
            </QueryErrorBoundary>
          </HydrateClient>
        </>
      )}
    </>
  );
}
