"use client";
// "What Hearth stores about you": one count per kind of record held for the account.
import { useSuspenseQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/app/_shared/trpc/client";

export function StoredData() {
  const t = useTranslations("privacy");
  const format = useFormatter();
  const trpc = useTRPC();
  const { data: summary } = useSuspenseQuery(trpc.privacy.storedData.queryOptions());

  return (
    <dl className="stored-list">
      {Object.entries(summary).map(([category, count]) => (
        <div key={category} className="stored-item">
          <dt>{t.has(`stored.${category}`) ? t(`stored.${category}`) : category}</dt>
          <dd>{format.number(count)}</dd>
        </div>
      ))}
    </dl>
  );
}
