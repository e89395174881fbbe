"use client";
// Engine failures carry a code ("chat_blocked"); this turns one into a sentence.
import { useTranslations } from "next-intl";
import { useCallback } from "react";

export function useChatErrorText(): (code: string | null) => string | null {
  const t = useTranslations("chat.errors");
  return useCallback((code) => (code === null ? null : t.has(code) ? t(code) : t("fallback")), [t]);
}
