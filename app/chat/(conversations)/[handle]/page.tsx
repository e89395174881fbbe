// A conversation at /chat/@handle (the segment arrives as "@alice" or "%40alice"). ?message=<id>
// opens it at a message found by search.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { handleFromSegment } from "@/app/_chat/handle-segment";
import { ConversationScreen } from "@/app/_chat/ui/conversation-screen";

interface ConversationPageProps {
  params: Promise<{ handle: string }>;
  searchParams: Promise<{ message?: string | string[] }>;
}

export async function generateMetadata({ params }: ConversationPageProps): Promise<Metadata> {
  const handle = handleFromSegment((await params).handle);
  return handle ? { title: (await getTranslations("chat"))("conversationTitle", { handle }) } : {};
}

export default async function ConversationPage({ params, searchParams }: ConversationPageProps) {
  const handle = handleFromSegment((await params).handle);
  if (!handle) notFound();
  const message = (await searchParams).message;
  return <ConversationScreen key={handle} handle={handle} focusMessageId={typeof message === "string" ? message : null} />;
}
