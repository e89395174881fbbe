import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense, type ReactNode } from "react";
import { AccessLog } from "@/app/_privacy/access-log";
import { ConsentChoices } from "@/app/_privacy/consent-choices";
import { ConsentHistory } from "@/app/_privacy/consent-history";
import { DataExport } from "@/app/_privacy/data-export";
import { DeleteAccount } from "@/app/_privacy/delete-account";
import { nextAccessLogCursor } from "@/app/_privacy/privacy-outputs";
import { StoredData } from "@/app/_privacy/stored-data";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import "@/app/_privacy/privacy.css";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("privacy"))("title") };
}

/** The page's sections, in order, with the catalogue key of each title. */
const SECTIONS = [
  { id: "choices", title: "choicesTitle" },
  { id: "stored", title: "storedTitle" },
  { id: "history", title: "historyTitle" },
  { id: "access-log", title: "accessTitle" },
  { id: "export", title: "exportTitle" },
  { id: "delete", title: "deleteTitle" },
] as const;

type SectionId = (typeof SECTIONS)[number]["id"];

export default async function PrivacyPage() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  const t = await getTranslations("privacy");
  const queryClient = getQueryClient();
  void queryClient.prefetchQuery(trpc.privacy.consents.queryOptions());
  void queryClient.prefetchQuery(trpc.privacy.storedData.queryOptions());
  void queryClient.prefetchQuery(trpc.privacy.history.queryOptions());
  void queryClient.prefetchInfiniteQuery(trpc.privacy.accessLog.infiniteQueryOptions({ filter: null }, { getNextPageParam: nextAccessLogCursor }));
  void queryClient.prefetchQuery(trpc.privacy.exports.queryOptions());

  const loading = (
    <p className="skeleton-line" aria-busy="true">
      {t("loading")}
    </p>
  );
  const section = (id: SectionId, children: ReactNode) => {
    const { title } = SECTIONS.find((s) => s.id === id)!;
    return (
      <section id={id} aria-labelledby={`${id}-title`} className="privacy-section">
        <h2 id={`${id}-title`}>{t(title)}</h2>
        {children}
      </section>
    );
  };

  return (
    <>
      <ColumnHeader title={t("title")} back />
      <div className="privacy-page">
        <p>{t("intro")}</p>
        <nav aria-label={t("contents")} className="privacy-toc">
          <ul>
            {SECTIONS.map(({ id, title }) => (
              <li key={id}>
                <a href={`#${id}`}>{t(title)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <HydrateClient>
          {section(
            "choices",
            <>
              <p className="muted">{t("choicesIntro")}</p>
              <Suspense fallback={loading}>
                <ConsentChoices />
              </Suspense>
            </>,
          )}
          {section(
            "stored",
            <>
              <p className="muted">{t("storedIntro")}</p>
              <Suspense fallback={loading}>
                <StoredData />
              </Suspense>
              <p className="muted">{t("storedMessages")}</p>
            </>,
          )}
          {section(
            "history",
            <>
              <p className="muted">{t("historyIntro")}</p>
              <Suspense fallback={loading}>
                <ConsentHistory />
              </Suspense>
            </>,
          )}
          {section(
            "access-log",
            <>
              <p className="muted">{t("accessIntro")}</p>
              <Suspense fallback={loading}>
                <AccessLog />
              </Suspense>
            </>,
          )}
          {section(
            "export",
            <>
              <p>{t("exportIntro")}</p>
              <p className="muted">{t("exportMessages")}</p>
              <Suspense fallback={loading}>
                <DataExport />
              </Suspense>
            </>,
          )}
          {section(
            "delete",
            <>
              <p>{t("deleteIntro")}</p>
              <p>{t("deleteRestore")}</p>
              <p>{t("deleteNowExplained")}</p>
              <p>
                <a href="#export">{t("deleteExportHint")}</a>
              </p>
              <DeleteAccount labelledBy="delete-title" />
            </>,
          )}
        </HydrateClient>
      </div>
    </>
  );
}
