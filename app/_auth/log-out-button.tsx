"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/app/_shared/trpc/client";

export function LogOutButton() {
  const t = useTranslations("app");
  const trpc = useTRPC();
  const router = useRouter();
  const logOut = useMutation({
    ...trpc.auth.logOut.mutationOptions({
      // Also when the session had already ended: either way the person is out.
      onSettled: () => {
        router.replace("/login");
        router.refresh();
      },
    }),
    // First the chat's copies on this device (its cached pages, its offline unlock): whoever uses
    // the browser next must sign in to read anything.
    // A failure here must not keep the person signed in: the log-out itself still goes out.
    onMutate: async () => {
      await import("@/app/_chat/pwa/forget-on-log-out").then(({ forgetChatOnLogOut }) => forgetChatOnLogOut()).catch(() => undefined);
      return undefined;
    },
  });
  return (
    <button type="button" className="button button-quiet" onClick={() => logOut.mutate()} disabled={logOut.isPending}>
      {logOut.isPending ? t("loggingOut") : t("logOut")}
    </button>
  );
}
