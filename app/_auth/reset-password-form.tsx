"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { useLeanMutation } from "@/app/_shared/trpc/lean-mutation";
import { useLinkToken } from "./link-token";

export function ResetPasswordForm() {
  const t = useTranslations("recovery");
  const tAuth = useTranslations("auth");
  const router = useRouter();
  const token = useLinkToken();
  const describeError = useDescribeError();
  const alertRef = useRef<HTMLDivElement>(null);
  const complete = useLeanMutation("auth.passwordReset.complete", {
    onSuccess: () => {
      // The reset ended every session and started this one.
      router.replace("/");
      router.refresh();
    },
  });
  const errors = describeError(complete.error);
  const linkDead = complete.error?.data?.appCode === "LINK_INVALID" || token === null;

  useEffect(() => {
    if (complete.error) alertRef.current?.focus();
  }, [complete.error]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    complete.mutate({ token, newPassword: String(new FormData(event.currentTarget).get("newPassword") ?? "") });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="reset-title" className="card auth-card">
      <h1 id="reset-title">{t("resetTitle")}</h1>
      <p className="muted">{t("resetIntro")}</p>
      <FormAlert ref={alertRef} message={token === null ? t("linkIncomplete") : errors.form} />
      <TextField
        label={t("newPassword")}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint={tAuth("passwordHint")}
        error={errors.fields.newPassword}
      />
      <button type="submit" className="button button-primary" disabled={!token || complete.isPending} aria-busy={complete.isPending}>
        {complete.isPending ? t("saving") : t("setPassword")}
      </button>
      <p className="auth-switch">{linkDead ? <Link href="/forgot-password">{t("askAgain")}</Link> : <Link href="/login">{t("backToLogIn")}</Link>}</p>
    </form>
  );
}
