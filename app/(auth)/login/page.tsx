import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LogInForm } from "@/app/_auth/log-in-form";
import { serverCaller } from "@/app/_shared/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth"))("logIn") };
}

export default async function LogInPage() {
  if (await (await serverCaller()).auth.me()) redirect("/");
  return <LogInForm />;
}
