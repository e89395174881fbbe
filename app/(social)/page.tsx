import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/app/_shared/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("home"))("title") };
}

export default async function HomePage() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  const t = await getTranslations("home");
  return (
    <div className="stack">
      <section className="card" aria-labelledby="welcome-title">
        <h1 id="welcome-title">{t("welcome", { name: me.displayName })}</h1>
        <p>{t("whoYouAre", { handle: `@${me.handle}` })}</p>
        <p>
          <Link href="/settings">{t("manageSessions")}</Link>
        </p>
      </section>
      <section className="card empty-state">
        <p>{t("emptyTimeline")}</p>
      </section>
    </div>
  );
}
