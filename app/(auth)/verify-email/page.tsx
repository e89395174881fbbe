import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { VerifyEmailConfirm } from "@/app/_auth/verify-email-confirm";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("recovery"))("verifyTitle") };
}

export default function VerifyEmailPage() {
  return <VerifyEmailConfirm />;
}
