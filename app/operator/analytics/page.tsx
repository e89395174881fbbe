import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { DailyCountsTable } from "@/app/_privacy/daily-counts-table";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import "@/app/_privacy/privacy.css";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("operator"))("title"), robots: { index: false } };
}

/** Product analytics for the people who run the server; a 404 for everyone else. */
export default async function OperatorAnalyticsPage() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  try {
    await getQueryClient().fetchQuery(trpc.operator.analytics.queryOptions());
  } catch (error) {
    // Not an operator: the page does not exist for them (the server refuses with FORBIDDEN).
    if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "FORBIDDEN") notFound();
    throw error;
  }
  const t = await getTranslations("operator");
  return (
    <>
      <ColumnHeader title={t("title")} />
      <div className="privacy-page">
        <p>{t("intro")}</p>
        <p>
          <Link href="/operator/reports">{t("toReports")}</Link>
        </p>
        <p className="privacy-notice privacy-notice-done">{t("note")}</p>
        <HydrateClient>
          <Suspense>
            <DailyCountsTable />
          </Suspense>
        </HydrateClient>
      </div>
    </>
  );
}
