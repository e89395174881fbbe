import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignUpForm } from "@/app/_auth/sign-up-form";
import { serverCaller } from "@/app/_shared/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth"))("signUp") };
}

export default async function SignUpPage() {
  if (await (await serverCaller()).auth.me()) redirect("/");
  return <SignUpForm />;
}
