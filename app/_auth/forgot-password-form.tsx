"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { useLeanMutation } from "@/app/_shared/trpc/lean-mutation";

export function ForgotPasswordForm() {
  const t = useTranslations("recovery");
  const describeError = useDescribeError();
  const alertRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const request = useLeanMutation("auth.passwordReset.request");
  const errors = describeError(request.error);

  useEffect(() => {
    if (request.error) alertRef.current?.focus();
    if (request.isSuccess) statusRef.current?.focus();
  }, [request.error, request.isSuccess]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate({ email: String(new FormData(event.currentTarget).get("email") ?? "") });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="forgot-title" className="card auth-card">
      <h1 id="forgot-title">{t("forgotTitle")}</h1>
      <p className="muted">{t("forgotIntro")}</p>
      <FormAlert ref={alertRef} message={errors.form} />
      {request.isSuccess ? (
        <p ref={statusRef} tabIndex={-1} role="status">
          {t("forgotSent")}
        </p>
      ) : null}
      <TextField label={t("email")} name="email" type="email" autoComplete="email" required error={errors.fields.email} />
      <button type="submit" className="button button-primary" disabled={request.isPending} aria-busy={request.isPending}>
        {request.isPending ? t("sending") : t("sendLink")}
      </button>
      <p className="auth-switch">
        <Link href="/login">{t("backToLogIn")}</Link>
      </p>
    </form>
  );
}
