import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ShareScreen } from "@/app/_chat/share/share-screen";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("share.title") };
}

export default function SharePage() {
  return <ShareScreen />;
}
