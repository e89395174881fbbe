// Messages (installable on its own as Hearth Messages), in its own frame: nothing here comes from
// the social site, so Hearth Chat can run without it. Every page needs the signed-in person and the
// set-up gate, which shows the page only once this browser's keys are ready; the engine, the
// alerts (unread count in the title, notices) and the banner of a call ringing run on every page.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { ChatAlerts } from "@/app/_chat/alerts/chat-alerts";
import { IncomingCallBanner } from "@/app/_chat/calls/ui/incoming-call-banner";
import { ChatEngineProvider } from "@/app/_chat/engine/chat-engine-provider";
import { ChatChrome } from "@/app/_chat/ui/chat-chrome";
import { ChatGate } from "@/app/_chat/ui/chat-gate";
import { MessengerShell } from "@/app/_chat/ui/messenger-shell";
import { serverCaller } from "@/app/_shared/trpc/server";
import { ToastProvider } from "@/app/_shared/ui/toast";
import "@/app/_chat/ui/chat.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("chat");
  return { title: t("title"), manifest: "/chat/manifest.webmanifest" };
}

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  return (
    <ChatEngineProvider me={{ userId: me.userId, handle: me.handle }}>
      <ChatChrome>
        <ToastProvider>
          <MessengerShell socialSite>
            <ChatGate>{children}</ChatGate>
          </MessengerShell>
          <ChatAlerts />
        </ToastProvider>
      </ChatChrome>
      <IncomingCallBanner />
    </ChatEngineProvider>
  );
}
