"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Icon } from "@/app/_shared/ui/icons";

/** Back to where the reader came from, or home when they arrived here directly. */
export function BackButton() {
  const t = useTranslations("nav");
  const router = useRouter();
  return (
    <button type="button" className="icon-button" aria-label={t("back")} onClick={() => (window.history.length > 1 ? router.back() : router.push("/"))}>
      <Icon name="back" />
    </button>
  );
}
