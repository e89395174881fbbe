// The signed-in frame: navigation on the left (a bottom bar on phones), the page in the centre,
// search, "who to follow" and Hearth's promise on the right. Server-rendered; only the parts that
// react (the navigation's unread badge, who to follow, the composer, shortcuts, toasts, the clock)
// are client components.
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LogOutButton } from "@/app/_auth/log-out-button";
import { LazyQueryProvider } from "@/app/_shared/trpc/lazy-query-provider";
import { ToastProvider } from "@/app/_shared/ui/toast";
import { ComposeButton } from "../composer/compose-button";
import { ComposerProvider } from "../composer/composer-provider";
import { Avatar } from "@/app/_shared/ui/avatar";
import { Icon } from "@/app/_shared/ui/icons";
import { profileHref } from "../people/profile-href";
import { WhoToFollow } from "../suggestions/who-to-follow";
import { ClockProvider } from "@/app/_shared/ui/clock";
import { LazyChatAlerts } from "@/app/_chat/alerts/lazy-chat-alerts";
import { KeyboardShortcuts } from "./keyboard-shortcuts";
import { PrimaryNav, type NavIcon } from "./primary-nav";
import { SearchBox } from "./search-box";
import { ViewerProvider, type Viewer } from "./viewer-context";

const NAV_ICONS: Record<NavIcon, ReactNode> = {
  home: <Icon name="home" />,
  search: <Icon name="search" />,
  bell: <Icon name="bell" />,
  message: <Icon name="message" />,
  bookmark: <Icon name="bookmark" />,
  user: <Icon name="user" />,
  settings: <Icon name="settings" />,
};

export async function SocialShell({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  const t = await getTranslations("nav");
  const tApp = await getTranslations("app");
  return (
    <ViewerProvider viewer={viewer}>
      <ClockProvider>
        <ToastProvider>
          <ComposerProvider>
            <div className="shell">
              <header className="shell-side">
                <div className="shell-side-inner">
                  <Link href="/" className="brand" aria-label={t("homeBrand", { name: tApp("name") })}>
                    <span aria-hidden="true" className="brand-mark">
                      ◆
                    </span>
                    <span className="brand-name">{tApp("name")}</span>
                  </Link>
                  <PrimaryNav handle={viewer.handle} icons={NAV_ICONS} />
                  <ComposeButton label={t("post")} icon={<Icon name="feather" className="compose-button-icon" />} />
                  <div className="account">
                    <Link href={profileHref(viewer.handle)} className="account-link">
                      <Avatar person={viewer} size="medium" />
                      <span className="account-names">
                        <span className="account-name">{viewer.displayName}</span>
                        <span className="account-handle">@{viewer.handle}</span>
                      </span>
                    </Link>
                    <LogOutButton />
                  </div>
                </div>
              </header>
              <main id="main" tabIndex={-1} className="shell-main">
                <LazyQueryProvider>{children}</LazyQueryProvider>
              </main>
              <aside className="shell-aside" aria-label={t("asideLabel")}>
                <div className="shell-aside-inner">
                  <SearchBox />
                  <WhoToFollow />
                  <section className="aside-card" aria-labelledby="promise-title">
                    <h2 id="promise-title">{t("promiseTitle")}</h2>
                    <p>{t("promiseBody")}</p>
                    <p className="muted">{t("shortcutsHint")}</p>
                  </section>
                </div>
              </aside>
            </div>
            <KeyboardShortcuts />
            <LazyChatAlerts />
          </ComposerProvider>
        </ToastProvider>
      </ClockProvider>
    </ViewerProvider>
  );
}
