// The chat (installable on its own as Hearth Messages): every page needs the signed-in person, one
// chat engine for this tab, and the set-up gate, which shows the page only once this browser's
// keys are ready; a call ringing shows on every page. The engine and the crypto core load after
// first paint (see the provider).
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { IncomingCallBanner } from "@/app/_chat/calls/ui/incoming-call-banner";
import { ChatEngineProvider } from "@/app/_chat/engine/chat-engine-provider";
import { ChatChrome } from "@/app/_chat/ui/chat-chrome";
import { ChatGate } from "@/app/_chat/ui/chat-gate";
import { serverCaller } from "@/app/_shared/trpc/server";
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
        <ChatGate>{children}</ChatGate>
        <IncomingCallBanner />
      </ChatChrome>
    </ChatEngineProvider>
  );
}
