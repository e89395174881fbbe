"use client";
// One plain fetch (useLeanMutation): the button is in every signed-in frame, Messages' too, which
// has no TanStack Query in its first load.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { useLeanMutation } from "@/app/_shared/trpc/lean-mutation";

export function LogOutButton() {
  const t = useTranslations("app");
  const router = useRouter();
  const logOut = useLeanMutation("auth.logOut");
  const [forgetting, setForgetting] = useState(false);
  async function logOutHere() {
    // First the chat's copies on this device (its cached pages, its offline unlock): whoever uses
    // the browser next must sign in to read anything.
    // A failure here must not keep the person signed in: the log-out itself still goes out.
    setForgetting(true);
    await import("@/app/_chat/pwa/forget-on-log-out").then(({ forgetChatOnLogOut }) => forgetChatOnLogOut()).catch(() => undefined);
    // Also when the session had already ended: either way the person is out.
    await logOut.mutateAsync().catch(() => undefined);
    router.replace("/login");
    router.refresh();
  }
  const pending = forgetting || logOut.isPending;
  return (
    <button type="button" className="button button-quiet" onClick={() => void logOutHere()} disabled={pending}>
      {pending ? t("loggingOut") : t("logOut")}
    </button>
  );
}
