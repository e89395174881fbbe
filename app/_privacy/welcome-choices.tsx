"use client";
// The choices offered right after sign-up: for each optional purpose a "Yes" and a "No" of the
// same weight, nothing selected. Only answered questions are recorded (source "welcome"); the
// rest stay as they are, which for a new account means off.
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { OptionalPurpose } from "@/server/data/consent/purposes";
import { useTRPC, useTRPCClient } from "@/app/_shared/trpc/client";
import { useDescribeError, type HearthClientError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { usePrivacyLabels } from "./use-privacy-labels";

type Answers = Partial<Record<OptionalPurpose, boolean>>;
type Decisions = [OptionalPurpose, boolean][];

export function WelcomeChoices() {
  const t = useTranslations("welcome");
  const tPrivacy = useTranslations("privacy");
  const labels = usePrivacyLabels();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const alertRef = useRef<HTMLDivElement>(null);
  const { data: consents } = useSuspenseQuery(trpc.privacy.consents.queryOptions());
  // A decision already on record shows as the answer given; nothing else is pre-selected.
  const [answers, setAnswers] = useState<Answers>(() =>
    Object.fromEntries(consents.flatMap((c): Decisions => (c.state === "granted" ? [[c.purpose, true]] : c.state === "withdrawn" ? [[c.purpose, false]] : []))),
  );

  // Sequential and in the dashboard's order, so the ledger reads the way the page does.
  const save = useMutation<void, HearthClientError, Decisions>({
    mutationFn: async (changes) => {
      for (const [purpose, granted] of changes) await client.privacy.decide.mutate({ purpose, granted, source: "welcome" });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.privacy.pathKey() });
      router.push("/");
    },
  });

  useEffect(() => {
    if (save.error) alertRef.current?.focus();
  }, [save.error]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const changes = consents.flatMap((c): Decisions => {
      const answer = answers[c.purpose];
      if (answer === undefined) return [];
      const unchanged = (answer && c.state === "granted") || (!answer && c.state === "withdrawn");
      return unchanged ? [] : [[c.purpose, answer]];
    });
    save.mutate(changes);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={t("choicesLabel")} className="stack">
      <FormAlert ref={alertRef} message={describeError(save.error).form} />
      <ul className="welcome-list">
        {consents.map(({ purpose, categories }) => {
          const answer = answers[purpose];
          const name = `consent-${purpose}`;
          const pick = (value: boolean) => setAnswers((current) => ({ ...current, [purpose]: value }));
          return (
            <li key={purpose}>
              <fieldset className="welcome-choice">
                <legend className="purpose-title">{tPrivacy(`purposes.${purpose}.title`)}</legend>
                <p>{tPrivacy(`purposes.${purpose}.turnsOn`)}</p>
                <p className="muted">{tPrivacy(`purposes.${purpose}.never`)}</p>
                <p className="muted">{tPrivacy("categoriesLine", { categories: labels.categoryList(categories) })}</p>
                <div className="choice-radios">
                  <label className="choice-radio">
                    <input type="radio" name={name} value="yes" checked={answer === true} onChange={() => pick(true)} />
                    {t("yes")}
                  </label>
                  <label className="choice-radio">
                    <input type="radio" name={name} value="no" checked={answer === false} onChange={() => pick(false)} />
                    {t("no")}
                  </label>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ul>
      <p className="muted">{t("unanswered")}</p>
      <div className="welcome-actions">
        <button type="submit" className="button button-primary" aria-disabled={save.isPending} aria-busy={save.isPending}>
          {save.isPending ? t("saving") : t("continue")}
        </button>
        <Link href="/" className="welcome-skip">
          {t("skip")}
        </Link>
      </div>
    </form>
  );
}
