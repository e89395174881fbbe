"use client";
// The composer opened in a dialog (its form, image uploads and checks) loads apart from a page's
// first load and says it is loading meanwhile. The one on home is part of home's column, which the
// server renders and a HydrationGate keeps disabled until its code has run (home-column.tsx).
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import type { ComponentProps } from "react";
import { LazyQueryProvider } from "@/app/_shared/trpc/lazy-query-provider";

function ComposerLoading() {
  const t = useTranslations("social");
  return (
    <p className="composer composer-in-dialog muted" role="status">
      {t("composerLoading")}
    </p>
  );
}

const Composer = dynamic(() => import("./composer").then((m) => m.Composer), { loading: ComposerLoading });

/** The dialog is part of the frame, outside any page's query provider: it brings its own. */
export function LazyComposer(props: ComponentProps<typeof Composer>) {
  return (
    <LazyQueryProvider>
      <Composer {...props} />
    </LazyQueryProvider>
  );
}
