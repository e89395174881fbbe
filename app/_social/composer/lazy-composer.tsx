"use client";
// The composer (its form, image uploads and checks) loads apart from a page's first load. Where a
// page shows it, the server still renders it, so it is there at once and nothing moves; it starts
// working when its chunk arrives, just after the page. Opened in a dialog, it says it is loading.
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";

function ComposerLoading() {
  const t = useTranslations("social");
  return (
    <p className="composer composer-in-dialog muted" role="status">
      {t("composerLoading")}
    </p>
  );
}

export const LazyComposer = dynamic(() => import("./composer").then((m) => m.Composer), { loading: ComposerLoading });
