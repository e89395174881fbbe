import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { BackupScreen } from "@/app/_chat/ui/backup-screen";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("backup.title") };
}

export default function BackupPage() {
  return <BackupScreen />;
}
