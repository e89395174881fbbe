"use client";
// The second step of a password log-in with two-factor on: a code from the app or a recovery code.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, type FormEvent } from "react";
import { useLeanMutation } from "@/app/_shared/trpc/lean-mutation";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";

export function SecondStepForm({ pendingToken, onStartOver }: { pendingToken: string; onStartOver: () => void }) {
  const t = useTranslations("security");
  const router = useRouter();
  const describeError = useDescribeError();
  const alertRef = useRef<HTMLDivElement>(null);
  const verify = useLeanMutation("auth.twoFactor.logIn", {
    onSuccess: ({ restored }) => {
      router.replace(restored ? "/?restored=1" : "/");
      router.refresh();
    },
  });
  const errors = describeError(verify.error);
  const expired = verify.error?.data?.appCode === "LOG_IN_EXPIRED";

  useEffect(() => {
    if (verify.error) alertRef.current?.focus();
  }, [verify.error]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    verify.mutate({ pendingToken, code: String(new FormData(event.currentTarget).get("code") ?? "") });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="second-step-title" className="card auth-card">
      <h1 id="second-step-title">{t("secondStepTitle")}</h1>
      <FormAlert ref={alertRef} message={errors.form} />
      <p>{t("secondStepIntro")}</p>
      <TextField
        label={t("code")}
        name="code"
        type="text"
        inputMode="text"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        // The code field is the only thing on this step: it takes the focus.
        autoFocus
        required
        hint={t("secondStepRecovery")}
        error={errors.fields.code}
      />
      <button type="submit" className="button button-primary" disabled={verify.isPending || expired} aria-busy={verify.isPending}>
        {verify.isPending ? t("verifying") : t("verify")}
      </button>
      <button type="button" className="button button-quiet" onClick={onStartOver}>
        {t("startOver")}
      </button>
    </form>
  );
}
