// The chat (installable on its own as Hearth Messages): every page needs the signed-in person and
// the set-up gate, which shows the page only once this browser's keys are ready. The engine, and
// the banner of a call ringing, run on every page of Hearth (the root layout), so that the unread
// count, notices and calls reach the person wherever they are.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { ChatChrome } from "@/app/_chat/ui/chat-chrome";
import { ChatGate } from "@/app/_chat/ui/chat-gate";
import { serverCaller } from "@/app/_shared/trpc/server";
import "@/app/_chat/ui/chat.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("chat");
  return { title: t("title"), manifest: "/chat/manifest.webmanifest" };
}

export default async function ChatLayout({ children }: { children: ReactNode }) {
  if (!(await (await serverCaller()).auth.me())) redirect("/login");
  return (
    <ChatChrome>
      <ChatGate>{children}</ChatGate>
    </ChatChrome>
  );
}
