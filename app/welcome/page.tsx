import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { WelcomeChoices } from "@/app/_privacy/welcome-choices";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import "@/app/_privacy/privacy.css";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("welcome"))("pageTitle") };
}

/** Shown once, right after sign-up: the optional purposes, each a plain yes or no, all skippable. */
export default async function WelcomePage() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  const t = await getTranslations("welcome");
  const tPrivacy = await getTranslations("privacy");
  void getQueryClient().prefetchQuery(trpc.privacy.consents.queryOptions());
  return (
    <>
      <ColumnHeader title={t("title", { name: me.displayName })} />
      <div className="privacy-page">
        <p>{t("signedInAs", { handle: `@${me.handle}` })}</p>
        <p>{t("intro")}</p>
        <p className="muted">{t("later")}</p>
        <HydrateClient>
          <Suspense
            fallback={
              <p className="skeleton-line" aria-busy="true">
                {tPrivacy("loading")}
              </p>
            }
          >
            <WelcomeChoices />
          </Suspense>
        </HydrateClient>
      </div>
    </>
  );
}
