// What every page of Hearth needs, and nothing more: the document, the language and the skip link.
// Each part of Hearth brings its own frame in its own layout: the social site's shell with the tRPC
// client (app/(social), settings, welcome, operator), Messages' shell with it (app/chat), the plain
// frame of the signed-out pages (app/(auth)), which call the server without it (lean-mutation.ts)
// to keep their first load small; so Hearth Chat can run without the social site (HEARTH_APP=chat).
import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { TimeZoneSync } from "@/app/_shared/i18n/time-zone-sync";
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
  return (
    <html lang={locale}>
      <body>
        <a href="#main" className="skip-link">
          {t("skipToContent")}
        </a>
        <NextIntlClientProvider>
          <TimeZoneSync />
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
