"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

/** Back to where the reader came from, or home when they arrived here directly. `icon`: drawn by the server, so its paths stay out of the first load. */
export function BackButton({ icon }: { icon: ReactNode }) {
  const t = useTranslations("nav");
  const router = useRouter();
  return (
    <button type="button" className="icon-button" aria-label={t("back")} onClick={() => (window.history.length > 1 ? router.back() : router.push("/"))}>
      {icon}
    </button>
  );
}
