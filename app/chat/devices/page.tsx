import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DevicesScreen } from "@/app/_chat/ui/devices-screen";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("devices.title") };
}

export default function DevicesPage() {
  return <DevicesScreen />;
}
