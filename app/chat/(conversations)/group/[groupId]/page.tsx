// A group's conversation at /chat/group/<id>. ?message=<id> opens it at a message found by search.
// The title stays generic: the group's name is known only to its members' devices, never to the
// server that renders this page.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { groupIdFromSegment } from "@/app/_chat/handle-segment";
import { GroupConversationScreen } from "@/app/_chat/ui/group-conversation-screen";

interface GroupPageProps {
  params: Promise<{ groupId: string }>;
  searchParams: Promise<{ message?: string | string[] }>;
}

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("group.pageTitle") };
}

export default async function GroupPage({ params, searchParams }: GroupPageProps) {
  const groupId = groupIdFromSegment((await params).groupId);
  if (!groupId) notFound();
  const message = (await searchParams).message;
  return <GroupConversationScreen key={groupId} groupId={groupId} focusMessageId={typeof message === "string" ? message : null} />;
}
