"use client";
// The optional purposes as cards, each with two equal buttons. Lapsed purposes (granted under an
// explanation that has since changed) come first under a notice; the order is fixed when the
// page opens, so a card never moves away from the button that was just pressed.
import { useSuspenseQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { Icon } from "@/app/_shared/ui/icons";
import { PurposeCard } from "./purpose-card";

export function ConsentChoices() {
  const t = useTranslations("privacy");
  const trpc = useTRPC();
  const { data: consents } = useSuspenseQuery(trpc.privacy.consents.queryOptions());
  const [order] = useState(() => [...consents.filter((c) => c.state === "lapsed"), ...consents.filter((c) => c.state !== "lapsed")].map((c) => c.purpose));
  const lapsed = consents.filter((c) => c.state === "lapsed").length;

  return (
    <div className="stack">
      {lapsed > 0 ? (
        <p className="privacy-notice">
          <Icon name="warning" />
          <span>{t("lapsedNotice", { count: lapsed })}</span>
        </p>
      ) : null}
      <ul className="purpose-list">
        {order.map((purpose) => {
          const consent = consents.find((c) => c.purpose === purpose);
          return consent ? (
            <li key={purpose}>
              <PurposeCard consent={consent} />
            </li>
          ) : null;
        })}
      </ul>
    </div>
  );
}
