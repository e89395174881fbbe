import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { RequestsScreen } from "@/app/_chat/ui/requests-screen";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("requests.title") };
}

export default function RequestsPage() {
  return <RequestsScreen />;
}
