import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { SessionList } from "@/app/_auth/session-list";
import { LanguagePicker } from "@/app/_shared/i18n/language-picker";
import { isLocale, localeCookieName } from "@/app/_shared/isomorphic/locales";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings"))("title") };
}

export default async function SettingsPage() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  const t = await getTranslations("settings");
  const tPrivacy = await getTranslations("privacy");
  const chosen = (await cookies()).get(localeCookieName)?.value;
  void getQueryClient().prefetchQuery(trpc.auth.sessions.list.queryOptions());
  return (
    <div className="stack">
      <h1>{t("title")}</h1>
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title">{t("accountTitle")}</h2>
        <p className="muted">{t("accountIntro")}</p>
        <p>
          <Link href="/settings/account">{t("accountLink")}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="language-title">
        <h2 id="language-title">{t("languageTitle")}</h2>
        <LanguagePicker chosen={isLocale(chosen) ? chosen : null} />
      </section>
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("sessionsTitle")}</h2>
        <p className="muted">{t("sessionsIntro")}</p>
        <HydrateClient>
          <Suspense
            fallback={
              <p aria-busy="true" className="skeleton-line">
                {t("loading")}
              </p>
            }
          >
            <SessionList />
          </Suspense>
        </HydrateClient>
      </section>
      <section className="card" aria-labelledby="security-title">
        <h2 id="security-title">{t("securityLinkTitle")}</h2>
        <p className="muted">{t("securityLinkBody")}</p>
        <p>
          <Link href="/settings/security">{t("securityLink")}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="privacy-title">
        <h2 id="privacy-title">{tPrivacy("settingsLinkTitle")}</h2>
        <p className="muted">{tPrivacy("settingsLinkBody")}</p>
        <p>
          <Link href="/settings/privacy">{tPrivacy("settingsLink")}</Link>
        </p>
      </section>
    </div>
  );
}
