"use client";
// Turns a tRPC error into translated text: one message for the form, one per field.
import type { TRPCClientErrorLike } from "@trpc/client";
import { useTranslations } from "next-intl";
import type { AppRouter } from "@/server/root";

export type HearthClientError = TRPCClientErrorLike<AppRouter>;

export interface DescribedError {
  form: string | null;
  fields: Record<string, string>;
}

export function useDescribeError(): (error: HearthClientError | null) => DescribedError {
  const tErrors = useTranslations("errors");
  const tFields = useTranslations("fieldErrors");
  const tAuth = useTranslations("auth");
  return (error) => {
    if (!error) return { form: null, fields: {} };
    const data = error.data;
    if (!data) return { form: tErrors("network"), fields: {} };

    const fields: Record<string, string> = {};
    for (const [field, keys] of Object.entries(data.fieldErrors ?? {})) {
      const key = keys?.[0];
      if (key) fields[field] = tFields.has(key) ? tFields(key) : tFields("fallback");
    }
    const code = data.appCode;
    let form: string;
    if (code === "RATE_LIMITED") form = tErrors("RATE_LIMITED", { minutes: Math.ceil((data.retryAfterSeconds ?? 60) / 60) });
    else if (Object.keys(fields).length > 0) form = tAuth("formHasErrors");
    else if (code && tErrors.has(code)) form = tErrors(code);
    else form = tErrors("unknown");
    return { form, fields };
  };
}
