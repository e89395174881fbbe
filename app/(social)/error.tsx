"use client";
// A page of the social site failed to load (the server was unreachable, or refused).
import { useTranslations } from "next-intl";

export default function SocialError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations("social");
  return (
    <div className="empty-state-block" role="alert">
      <h1>{t("pageErrorTitle")}</h1>
      <p className="muted">{t("pageErrorBody")}</p>
      <button type="button" className="button button-primary" onClick={reset}>
        {t("tryAgain")}
      </button>
    </div>
  );
}
