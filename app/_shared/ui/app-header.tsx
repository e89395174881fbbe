import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LogOutButton } from "@/app/_auth/log-out-button";

export async function AppHeader({ handle }: { handle: string | null }) {
  const t = await getTranslations("app");
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <span aria-hidden="true" className="brand-mark">
          ◆
        </span>
        {t("name")}
      </Link>
      {handle ? (
        <>
          <nav aria-label={t("mainNavigation")} className="app-nav">
            <Link href="/">{t("home")}</Link>
            <Link href="/settings">{t("settings")}</Link>
          </nav>
          <div className="app-user">
            <span className="muted">{t("signedInAs", { handle: `@${handle}` })}</span>
            <LogOutButton />
          </div>
        </>
      ) : null}
    </header>
  );
}
