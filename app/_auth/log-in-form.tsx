"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { useLeanMutation } from "@/app/_shared/trpc/lean-mutation";
import { PasskeyLogInButton } from "./passkey-log-in-button";
import { SecondStepForm } from "./second-step-form";

export function LogInForm() {
  const t = useTranslations("auth");
  const tSecurity = useTranslations("security");
  const router = useRouter();
  const describeError = useDescribeError();
  const alertRef = useRef<HTMLDivElement>(null);
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  // With two-factor on, the right password gives a pending log-in that the code completes.
  const [pendingToken, setPendingToken] = useState<string | null>(null);
  const logIn = useLeanMutation("auth.logIn", {
    onSuccess: (result) => {
      if (!result.ok) {
        setPendingToken(result.pendingToken);
        return;
      }
      // Logging in within 30 days of deleting the account restored it; the home page says so.
      router.replace(result.restored ? "/?restored=1" : "/");
      router.refresh();
    },
  });
  const errors = describeError(logIn.error);
  const formMessage = errors.form ?? passkeyError;

  useEffect(() => {
    if (formMessage) alertRef.current?.focus();
  }, [formMessage]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPasskeyError(null);
    const form = new FormData(event.currentTarget);
    logIn.mutate({ identifier: String(form.get("identifier") ?? ""), password: String(form.get("password") ?? "") });
  }

  if (pendingToken) {
    return (
      <SecondStepForm
        pendingToken={pendingToken}
        onStartOver={() => {
          logIn.reset();
          setPendingToken(null);
        }}
      />
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="log-in-title" className="card auth-card">
      <h1 id="log-in-title">{t("logInTitle")}</h1>
      <FormAlert ref={alertRef} message={formMessage} />
      <TextField
        label={t("emailOrHandle")}
        name="identifier"
        type="text"
        autoComplete="username webauthn"
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
      <p className="auth-or muted">{tSecurity("or")}</p>
      <PasskeyLogInButton onError={setPasskeyError} />
      <p className="auth-switch">
        {t("noAccount")} <Link href="/signup">{t("createOne")}</Link>
      </p>
    </form>
  );
}
