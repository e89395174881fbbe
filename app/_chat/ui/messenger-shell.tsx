// Messages' own frame, independent of the social site: its navigation (a column on wide screens,
// a bar along the bottom on phones, hidden while a conversation fills a phone's screen), the
// account's pages and log-out, and the way back to Hearth's social site when there is one.
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LogOutButton } from "@/app/_auth/log-out-button";
import { MessengerNav } from "./messenger-nav";

export async function MessengerShell({ socialSite, children }: { socialSite: boolean; children: ReactNode }) {
  const t = await getTranslations("chat.shell");
  return (
    <div className="messenger">
      <header className="messenger-side shell-side">
        <div className="shell-side-inner">
          <Link href="/chat" className="brand" aria-label={t("brand")}>
            <span aria-hidden="true" className="brand-mark">
              ◆
            </span>
            <span className="brand-name">{t("name")}</span>
          </Link>
          <MessengerNav />
          <div className="messenger-account">
            {socialSite ? (
              <Link href="/" className="messenger-account-link" data-testid="back-to-hearth">
                {t("backToHearth")}
              </Link>
            ) : null}
            <Link href="/settings" className="messenger-account-link">
              {t("account")}
            </Link>
            <LogOutButton />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="messenger-main">
        {children}
      </main>
    </div>
  );
}
