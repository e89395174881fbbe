"use client";
// The operator's view of product analytics: one row per UTC day, totals only.
import { useSuspenseQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/app/_shared/trpc/client";

export function DailyCountsTable() {
  const t = useTranslations("operator");
  const format = useFormatter();
  const trpc = useTRPC();
  const { data: days } = useSuspenseQuery(trpc.operator.analytics.queryOptions());

  if (days.length === 0) return <p className="muted">{t("empty")}</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t("caption")}>
      <table className="data-table">
        <caption className="sr-only">{t("caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("day")}</th>
            <th scope="col" className="numeric">
              {t("activePeople")}
            </th>
            <th scope="col" className="numeric">
              {t("posts")}
            </th>
          </tr>
        </thead>
        <tbody>
          {days.map((row) => (
            <tr key={row.day}>
              <th scope="row">
                <time dateTime={row.day}>{format.dateTime(new Date(`${row.day}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" })}</time>
              </th>
              <td className="numeric">{format.number(row.active_people)}</td>
              <td className="numeric">{format.number(row.posts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
