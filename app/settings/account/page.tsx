import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { AccountEmail } from "@/app/_auth/account-email";
import { ChangePasswordForm } from "@/app/_auth/change-password-form";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("accountSettings"))("title") };
}

export default async function AccountSettingsPage() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  const t = await getTranslations("accountSettings");
  void getQueryClient().prefetchQuery(trpc.auth.account.get.queryOptions());
  return (
    <div className="stack">
      <p>
        <Link href="/settings">{t("backToSettings")}</Link>
      </p>
      <h1>{t("title")}</h1>
      <section className="card" aria-labelledby="email-title">
        <h2 id="email-title">{t("emailTitle")}</h2>
        <HydrateClient>
          <Suspense
            fallback={
              <p aria-busy="true" className="skeleton-line">
                {t("loading")}
              </p>
            }
          >
            <AccountEmail />
          </Suspense>
        </HydrateClient>
      </section>
      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">{t("passwordTitle")}</h2>
        <ChangePasswordForm />
      </section>
    </div>
  );
}
