import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { PasskeySettings } from "@/app/_auth/passkey-settings";
import { TwoFactorSettings } from "@/app/_auth/two-factor-settings";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("security"))("title") };
}

export default async function SecuritySettingsPage() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  const t = await getTranslations("security");
  const tSettings = await getTranslations("settings");
  void getQueryClient().prefetchQuery(trpc.auth.passkeys.list.queryOptions());
  void getQueryClient().prefetchQuery(trpc.auth.twoFactor.status.queryOptions());
  return (
    <div className="stack">
      <p>
        <Link href="/settings">{tSettings("title")}</Link>
      </p>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <HydrateClient>
        <section className="card" aria-labelledby="passkeys-title">
          <h2 id="passkeys-title">{t("passkeysTitle")}</h2>
          <p className="muted">{t("passkeysIntro")}</p>
          <Suspense
            fallback={
              <p aria-busy="true" className="skeleton-line">
                {t("passkeysLoading")}
              </p>
            }
          >
            <PasskeySettings />
          </Suspense>
        </section>
        <section className="card" aria-labelledby="two-factor-title">
          <h2 id="two-factor-title">{t("twoFactorTitle")}</h2>
          <p className="muted">{t("twoFactorIntro")}</p>
          <Suspense
            fallback={
              <p aria-busy="true" className="skeleton-line">
                {t("passkeysLoading")}
              </p>
            }
          >
            <TwoFactorSettings />
          </Suspense>
        </section>
      </HydrateClient>
    </div>
  );
}
