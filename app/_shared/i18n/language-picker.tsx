"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type ChangeEvent } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { isLocale, locales, type Locale } from "@/app/_shared/isomorphic/locales";

/** Names of the languages in themselves, so a person can find theirs whatever the UI shows. */
const languageNames: Record<Locale, string> = { en: "English", de: "Deutsch" };

export function LanguagePicker({ chosen }: { chosen: Locale | null }) {
  const t = useTranslations("settings");
  const trpc = useTRPC();
  const router = useRouter();
  const [value, setValue] = useState<string>(chosen ?? "");
  const [saved, setSaved] = useState(false);
  const setLocale = useMutation(
    trpc.auth.setLocale.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        router.refresh();
      },
    }),
  );

  function onChange(event: ChangeEvent<HTMLSelectElement>) {
    const next = event.target.value;
    setValue(next);
    setSaved(false);
    setLocale.mutate({ locale: isLocale(next) ? next : null });
  }

  return (
    <div className="field">
      <label htmlFor="language">{t("languageLabel")}</label>
      <select id="language" value={value} onChange={onChange} disabled={setLocale.isPending}>
        <option value="">{t("languageBrowser")}</option>
        {locales.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {languageNames[locale]}
          </option>
        ))}
      </select>
      <p role="status" className="status-line">
        {saved ? t("languageSaved") : null}
      </p>
    </div>
  );
}
