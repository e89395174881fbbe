// A group's details at /chat/group/<id>/details: name, description, members, and leaving. The
// title stays generic, as on the conversation's page.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { groupIdFromSegment } from "@/app/_chat/handle-segment";
import { GroupDetailsScreen } from "@/app/_chat/ui/group-details-screen";

interface GroupDetailsPageProps {
  params: Promise<{ groupId: string }>;
}

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("group.detailsPageTitle") };
}

export default async function GroupDetailsPage({ params }: GroupDetailsPageProps) {
  const groupId = groupIdFromSegment((await params).groupId);
  if (!groupId) notFound();
  return <GroupDetailsScreen key={groupId} groupId={groupId} />;
}
