"use client";
// Says "Welcome back" after a log-in restored a deleted account (the log-in form sends the person
// to /?restored=1), then drops the parameter so a reload does not say it again. Mount it inside
// the signed-in shell (it uses its toasts), within a <Suspense> boundary (it reads the URL).
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { useToast } from "@/app/_shared/ui/toast";

export function RestoredNotice() {
  const t = useTranslations("privacy");
  const toast = useToast();
  const router = useRouter();
  const pathname = usePathname();
  const restored = useSearchParams().get("restored") === "1";

  useEffect(() => {
    if (!restored) return;
    toast({ message: t("restoredNotice") });
    router.replace(pathname, { scroll: false });
  }, [restored, toast, t, router, pathname]);

  return null;
}
