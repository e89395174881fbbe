"use client";
// One optional purpose: what it turns on, what off means, what it never does, the data it
// reads, its state, and "Allow" / "Don't allow" side by side, alike in size and colour. The state
// line is a live region, so the change a press makes is announced.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useId } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { Icon } from "@/app/_shared/ui/icons";
import type { PurposeConsent } from "./privacy-outputs";
import { usePrivacyLabels } from "./use-privacy-labels";

export function PurposeCard({ consent }: { consent: PurposeConsent }) {
  const t = useTranslations("privacy");
  const format = useFormatter();
  const labels = usePrivacyLabels();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const titleId = useId();
  const { purpose, state, decidedAt } = consent;

  const decide = useMutation(
    trpc.privacy.decide.mutationOptions({
      // Everything on the page may have changed: the state, the history, the stored counts.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.privacy.pathKey() }),
    }),
  );
  const choose = (granted: boolean) => {
    const current = state === "granted" ? true : state === "withdrawn" ? false : null;
    if (current === granted || decide.isPending) return;
    decide.mutate({ purpose, granted, source: "settings/privacy" });
  };

  const title = t(`purposes.${purpose}.title`);
  const date = decidedAt ? format.dateTime(new Date(decidedAt), { dateStyle: "medium", timeStyle: "short" }) : "";
  const stateText =
    state === "granted"
      ? t("stateOnSince", { date })
      : state === "withdrawn"
        ? t("stateOffSince", { date })
        : state === "lapsed"
          ? t("stateLapsed")
          : t("stateOff");

  return (
    <section aria-labelledby={titleId} className={state === "lapsed" ? "purpose-card purpose-card-lapsed" : "purpose-card"}>
      <h3 id={titleId} className="purpose-title">
        {title}
      </h3>
      <p role="status" className={`purpose-state purpose-state-${state}`}>
        <span className="sr-only">{t("statePrefix", { title })} </span>
        {state === "lapsed" ? <Icon name="warning" /> : null}
        {stateText}
      </p>
      <dl className="purpose-facts">
        <div>
          <dt>{t("whatItDoes")}</dt>
          <dd>{t(`purposes.${purpose}.turnsOn`)}</dd>
        </div>
        <div>
          <dt>{t("whenOff")}</dt>
          <dd>{t(`purposes.${purpose}.offMeans`)}</dd>
        </div>
        <div>
          <dt>{t("whatItNeverDoes")}</dt>
          <dd>{t(`purposes.${purpose}.never`)}</dd>
        </div>
        <div>
          <dt>{t("dataUsed")}</dt>
          <dd className="first-letter-upper">{labels.categoryList(consent.categories)}</dd>
        </div>
      </dl>
      <FormAlert message={describeError(decide.error).form} />
      <div role="group" aria-label={t("choiceGroup", { title })} className="choice-buttons">
        <button
          type="button"
          className="button button-quiet choice-button"
          aria-pressed={state === "granted"}
          aria-busy={decide.isPending && decide.variables?.granted === true}
          onClick={() => choose(true)}
        >
          {state === "granted" ? <Icon name="check" /> : null}
          {t("allow")}
        </button>
        <button
          type="button"
          className="button button-quiet choice-button"
          aria-pressed={state === "withdrawn"}
          aria-busy={decide.isPending && decide.variables?.granted === false}
          onClick={() => choose(false)}
        >
          {state === "withdrawn" ? <Icon name="check" /> : null}
          {t("deny")}
        </button>
      </div>
    </section>
  );
}
