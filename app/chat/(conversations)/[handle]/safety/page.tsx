import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { handleFromSegment } from "@/app/_chat/handle-segment";
import { SafetyNumberScreen } from "@/app/_chat/ui/safety-number-screen";

interface SafetyNumberPageProps {
  params: Promise<{ handle: string }>;
}

export async function generateMetadata({ params }: SafetyNumberPageProps): Promise<Metadata> {
  const handle = handleFromSegment((await params).handle);
  return handle ? { title: (await getTranslations("chat"))("safety.pageTitle", { handle }) } : {};
}

export default async function SafetyNumberPage({ params }: SafetyNumberPageProps) {
  const handle = handleFromSegment((await params).handle);
  if (!handle) notFound();
  return <SafetyNumberScreen key={handle} handle={handle} />;
}
