"use client";
// The composer opened in a dialog (its form, image uploads and checks) loads apart from a page's
// first load and says it is loading meanwhile. The composer shown on a page (home, a thread) is not
// lazy: rendered by the server but working only once a later chunk came, it lost text typed in
// between (the browser tests typed into it right after loading).
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
