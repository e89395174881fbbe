// A call at /chat/call/<room>, opened with a full page load: only documents under /chat/call may use
// the camera and microphone and reach the LiveKit server (proxy.ts). The room name says nothing
// about who is in the call; the page finds the call in this browser's chat storage.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { isCallRoom } from "@/app/_chat/calls/call-href";
import { CallScreen } from "@/app/_chat/calls/ui/call-screen";

interface CallPageProps {
  params: Promise<{ room: string }>;
}

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat.calls"))("pageTitle") };
}

export default async function CallPage({ params }: CallPageProps) {
  const { room } = await params;
  if (!isCallRoom(room)) notFound();
  return <CallScreen key={room} room={room} />;
}
