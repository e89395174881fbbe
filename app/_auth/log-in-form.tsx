"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { useTRPC } from "@/app/_shared/trpc/client";

export function LogInForm() {
  const t = useTranslations("auth");
  const trpc = useTRPC();
  const router = useRouter();
  const describeError = useDescribeError();
  const alertRef = useRef<HTMLDivElement>(null);
  const logIn = useMutation(
    trpc.auth.logIn.mutationOptions({
      onSuccess: ({ restored }) => {
        // Logging in within 30 days of deleting the account restored it; the home page says so.
        router.replace(restored ? "/?restored=1" : "/");
        router.refresh();
      },
    }),
  );
  const errors = describeError(logIn.error);

  useEffect(() => {
    if (logIn.error) alertRef.current?.focus();
  }, [logIn.error]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    logIn.mutate({ identifier: String(form.get("identifier") ?? ""), password: String(form.get("password") ?? "") });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="log-in-title" className="card auth-card">
      <h1 id="log-in-title">{t("logInTitle")}</h1>
      <FormAlert ref={alertRef} message={errors.form} />
      <TextField
        label={t("emailOrHandle")}
        name="identifier"
        type="text"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        error={errors.fields.identifier}
      />
      <TextField label={t("password")} name="password" type="password" autoComplete="current-password" required error={errors.fields.password} />
      <p className="auth-forgot">
        <Link href="/forgot-password">{t("forgotPassword")}</Link>
      </p>
      <button type="submit" className="button button-primary" disabled={logIn.isPending} aria-busy={logIn.isPending}>
        {logIn.isPending ? t("loggingIn") : t("logIn")}
      </button>
      <p className="auth-switch">
        {t("noAccount")} <Link href="/signup">{t("createOne")}</Link>
      </p>
    </form>
  );
}
