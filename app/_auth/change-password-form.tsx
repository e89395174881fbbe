"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { useTRPC } from "@/app/_shared/trpc/client";

export function ChangePasswordForm() {
  const t = useTranslations("accountSettings");
  const tAuth = useTranslations("auth");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const alertRef = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<string | null>(null);
  const change = useMutation(
    trpc.auth.account.changePassword.mutationOptions({
      onSuccess: ({ endedSessions }) => {
        setStatus(t("passwordChanged", { count: endedSessions }));
        return queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.list.queryKey() });
      },
    }),
  );
  const errors = describeError(change.error);

  useEffect(() => {
    if (change.error) alertRef.current?.focus();
  }, [change.error]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus(null);
    const element = event.currentTarget;
    const form = new FormData(element);
    change.mutate(
      {
        currentPassword: String(form.get("currentPassword") ?? ""),
        newPassword: String(form.get("newPassword") ?? ""),
        endOtherSessions: form.get("endOtherSessions") === "on",
      },
      // Passwords do not stay in the fields once saved.
      { onSuccess: () => element.reset() },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="password-title" className="stack">
      <FormAlert ref={alertRef} message={errors.form} />
      <TextField
        label={t("currentPassword")}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={errors.fields.currentPassword}
      />
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
      <div className="field-checkbox">
        <input id="end-other-sessions" type="checkbox" name="endOtherSessions" defaultChecked />
        <label htmlFor="end-other-sessions">{t("endOtherSessions")}</label>
      </div>
      <div>
        <button type="submit" className="button button-primary" disabled={change.isPending} aria-busy={change.isPending}>
          {change.isPending ? t("saving") : t("changePassword")}
        </button>
      </div>
      <p role="status" className="status-line">
        {status}
      </p>
    </form>
  );
}
