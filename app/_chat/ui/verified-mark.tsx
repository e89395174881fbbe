"use client";
import { useTranslations } from "next-intl";
import { Icon } from "@/app/_shared/ui/icons";

/** The person's safety number was compared and marked verified. */
export function VerifiedMark() {
  const t = useTranslations("chat");
  return (
    <span className="chat-verified" title={t("verified")} data-testid="verified-mark">
      <Icon name="verified" />
      <span className="sr-only">{t("verified")}</span>
    </span>
  );
}
