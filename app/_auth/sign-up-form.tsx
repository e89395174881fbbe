"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { useLeanMutation } from "@/app/_shared/trpc/lean-mutation";

export function SignUpForm() {
  const t = useTranslations("auth");
  const router = useRouter();
  const describeError = useDescribeError();
  const alertRef = useRef<HTMLDivElement>(null);
  const signUp = useLeanMutation("auth.signUp", {
    onSuccess: () => {
      // First the optional purposes, each off until the person says yes (skippable).
      router.replace("/welcome");
      router.refresh();
    },
  });
  const errors = describeError(signUp.error);

  useEffect(() => {
    if (signUp.error) alertRef.current?.focus();
  }, [signUp.error]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signUp.mutate({
      handle: String(form.get("handle") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="sign-up-title" className="card auth-card">
      <h1 id="sign-up-title">{t("signUpTitle")}</h1>
      <FormAlert ref={alertRef} message={errors.form} />
      <TextField
        label={t("handle")}
        name="handle"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        minLength={3}
        maxLength={30}
        hint={t("handleHint")}
        error={errors.fields.handle}
      />
      <TextField label={t("email")} name="email" type="email" autoComplete="email" required hint={t("emailHint")} error={errors.fields.email} />
      <TextField
        label={t("password")}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint={t("passwordHint")}
        error={errors.fields.password}
      />
      <button type="submit" className="button button-primary" disabled={signUp.isPending} aria-busy={signUp.isPending}>
        {signUp.isPending ? t("signingUp") : t("signUp")}
      </button>
      <p className="auth-switch">
        {t("haveAccount")} <Link href="/login">{t("logInInstead")}</Link>
      </p>
    </form>
  );
}
