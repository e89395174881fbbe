"use client";
import { useTranslations } from "next-intl";
import { UploadError } from "./upload-media";

/** Translated text for a failed upload, in the words the rest of the app uses for these codes. */
export function useUploadErrorText(): (error: unknown) => string {
  const t = useTranslations("errors");
  return (error) => {
    const code = error instanceof UploadError ? error.code : "unknown";
    if (code === "RATE_LIMITED") {
      const seconds = error instanceof UploadError ? (error.retryAfterSeconds ?? 60) : 60;
      return t("RATE_LIMITED", { minutes: Math.ceil(seconds / 60) });
    }
    return t.has(code) ? t(code) : t("unknown");
  };
}
