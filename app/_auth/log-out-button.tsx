"use client";
// The button is in every signed-in frame; its call (the lean tRPC caller) loads when pressed, so
// that no page's first load carries it for a button pressed once per session.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTranslations } from "next-intl";

export function LogOutButton() {
  const t = useTranslations("app");
  const router = useRouter();
  const [pending, setPending] = useState(false);
  async function logOutHere() {
    setPending(true);
    // First the chat's copies on this device (its cached pages, its offline unlock): whoever uses
    // the browser next must sign in to read anything.
    // A failure here must not keep the person signed in: the log-out itself still goes out.
    await import("@/app/_chat/pwa/forget-on-log-out").then(({ forgetChatOnLogOut }) => forgetChatOnLogOut()).catch(() => undefined);
    // Also when the session had already ended: either way the person is out.
    await import("./log-out-call").then(({ callLogOut }) => callLogOut()).catch(() => undefined);
    router.replace("/login");
    router.refresh();
  }
  return (
    <button type="button" className="button button-quiet" onClick={() => void logOutHere()} disabled={pending}>
      {pending ? t("loggingOut") : t("logOut")}
    </button>
  );
}
