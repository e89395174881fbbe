import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LogInForm } from "@/app/_auth/log-in-form";
import { DeletedNotice } from "@/app/_privacy/deleted-notice";
import { serverCaller } from "@/app/_shared/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth"))("logIn") };
}

export default async function LogInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await (await serverCaller()).auth.me()) redirect("/");
  return (
    <>
      <DeletedNotice searchParams={await searchParams} />
      <LogInForm />
    </>
  );
}
