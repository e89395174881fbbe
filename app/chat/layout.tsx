// Messages (installable on its own as Hearth Messages), in its own frame: nothing here comes from
// the social site, so Hearth Chat can run without it (HEARTH_APP=chat). Every page needs the
// signed-in person and the set-up gate, which shows the page only once this browser's keys are
// ready.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { ChatFrame } from "@/app/_chat/ui/chat-frame";
import { ChatGate } from "@/app/_chat/ui/chat-gate";
import { servesSocialSite } from "@/app/_shared/served-app";
import { serverCaller } from "@/app/_shared/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("chat");
  return { title: t("title"), manifest: "/chat/manifest.webmanifest" };
}

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  return (
    <ChatFrame me={me} socialSite={servesSocialSite()}>
      <ChatGate>{children}</ChatGate>
    </ChatFrame>
  );
}
