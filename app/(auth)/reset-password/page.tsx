import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ResetPasswordForm } from "@/app/_auth/reset-password-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("recovery"))("resetTitle") };
}

export default function ResetPasswordPage() {
  return <ResetPasswordForm />;
}
