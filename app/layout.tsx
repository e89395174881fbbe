import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { TimeZoneSync } from "@/app/_shared/i18n/time-zone-sync";
import { AppHeader } from "@/app/_shared/ui/app-header";
import { serverCaller } from "@/app/_shared/trpc/server";
import { TRPCReactProvider } from "@/app/_shared/trpc/client";
import { SocialShell } from "@/app/_social/shell/social-shell";
import { ChatEngineProvider } from "@/app/_chat/engine/chat-engine-provider";
import { IncomingCallBanner } from "@/app/_chat/calls/ui/incoming-call-banner";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  // Nothing is indexed unless a page says otherwise: only profiles and posts whose owners allowed
  // search_engine_indexing do (see app/(social)/[handle] and post/[id]).
  return { title: { default: t("name"), template: `%s · ${t("name")}` }, description: t("tagline"), robots: { index: false, follow: false } };
}

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fbf7f2" },
    { media: "(prefers-color-scheme: dark)", color: "#17130f" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations("app");
  const caller = await serverCaller();
  const me = await caller.auth.me();
  // The shell shows the person's picture; the profile is the one place that knows it.
  const profile = me ? await caller.social.people.profile({ handle: me.handle }).catch(() => null) : null;
  return (
    <html lang={locale}>
      <body>
        <a href="#main" className="skip-link">
          {t("skipToContent")}
        </a>
        <NextIntlClientProvider>
          <TimeZoneSync />
          <TRPCReactProvider>
            {me ? (
              // Private messages run on every page of a signed-in person (unread count, notices), loaded after first paint.
              <ChatEngineProvider me={{ userId: me.userId, handle: me.handle }}>
                <SocialShell viewer={{ handle: me.handle, displayName: me.displayName, avatarUrl: profile?.avatarUrl ?? null }}>{children}</SocialShell>
                {/* A call rings in whichever tab the person is in; answering there moves the keys to it. */}
                <IncomingCallBanner />
              </ChatEngineProvider>
            ) : (
              <>
                <AppHeader />
                <main id="main" tabIndex={-1} className="main-simple">
                  {children}
                </main>
              </>
            )}
          </TRPCReactProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
