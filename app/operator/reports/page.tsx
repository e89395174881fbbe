import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { ReportList } from "@/app/_privacy/report-list";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import "@/app/_privacy/privacy.css";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("operatorReports"))("title"), robots: { index: false } };
}

/** Reports of messages, posts and profiles for the people who run the server; a 404 for everyone else. */
export default async function OperatorReportsPage() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  try {
    await getQueryClient().fetchQuery(trpc.operator.reports.list.queryOptions());
  } catch (error) {
    // Not an operator: the page does not exist for them (the server refuses with FORBIDDEN).
    if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "FORBIDDEN") notFound();
    throw error;
  }
  const t = await getTranslations("operatorReports");
  return (
    <>
      <ColumnHeader title={t("title")} />
      <div className="privacy-page">
        <p>{t("intro")}</p>
        <p>
          <Link href="/operator/analytics">{t("toAnalytics")}</Link>
        </p>
        <HydrateClient>
          <Suspense>
            <ReportList />
          </Suspense>
        </HydrateClient>
      </div>
    </>
  );
}
