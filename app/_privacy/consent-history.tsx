"use client";
// The consent ledger as the person sees it: every decision, newest first, with the explanation's
// version and the screen it was made on.
import { useSuspenseQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/app/_shared/trpc/client";
import { usePrivacyLabels } from "./use-privacy-labels";

export function ConsentHistory() {
  const t = useTranslations("privacy");
  const format = useFormatter();
  const labels = usePrivacyLabels();
  const trpc = useTRPC();
  const { data: history } = useSuspenseQuery(trpc.privacy.history.queryOptions());

  if (history.length === 0) return <p className="muted">{t("historyEmpty")}</p>;
  return (
    // Focusable, so that a keyboard can scroll the table where the screen is narrow.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t("historyCaption")}>
      <table className="data-table">
        <caption className="sr-only">{t("historyCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("historyChoice")}</th>
            <th scope="col">{t("historyDecision")}</th>
            <th scope="col">{t("historyVersion")}</th>
            <th scope="col">{t("historyScreen")}</th>
            <th scope="col">{t("historyTime")}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((event) => (
            <tr key={event.id}>
              <th scope="row">{labels.purposeName(event.purpose)}</th>
              <td>{event.granted ? t("decisionGranted") : t("decisionWithdrawn")}</td>
              <td className="numeric">{format.number(event.policyVersion)}</td>
              <td>{labels.screenName(event.source)}</td>
              <td>
                <time dateTime={event.createdAt}>{format.dateTime(new Date(event.createdAt), { dateStyle: "short", timeStyle: "medium" })}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
