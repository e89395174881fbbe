"use client";
// The address section of the account settings: the address and whether it is verified, a new
// link, and a change of address (which waits for the link mailed to the new address).
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { useTRPC } from "@/app/_shared/trpc/client";

export function AccountEmail() {
  const t = useTranslations("accountSettings");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const { data: account } = useSuspenseQuery(trpc.auth.account.get.queryOptions());
  const [status, setStatus] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.account.get.queryKey() });

  const resend = useMutation(trpc.auth.account.resendVerification.mutationOptions({ onSuccess: () => setStatus(t("linkSent")) }));
  const change = useMutation(
    trpc.auth.account.changeEmail.mutationOptions({
      onSuccess: () => {
        setChanging(false);
        setStatus(t("changeSent"));
        return refresh();
      },
    }),
  );
  const cancel = useMutation(
    trpc.auth.account.cancelEmailChange.mutationOptions({
      onSuccess: () => {
        setStatus(t("changeCancelled"));
        return refresh();
      },
    }),
  );
  const changeErrors = describeError(change.error);
  const error = describeError(resend.error ?? cancel.error).form;

  useEffect(() => {
    if (change.error) alertRef.current?.focus();
  }, [change.error]);

  function onChange(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ newEmail: String(form.get("newEmail") ?? ""), currentPassword: String(form.get("currentPassword") ?? "") });
  }

  const unconfirmed = account.pendingEmail ?? (account.emailVerified ? null : account.email);
  return (
    <div className="stack">
      {account.mailEnabled ? null : <p className="field-hint-warn">{t("mailOff")}</p>}
      <FormAlert message={error} />
      <dl className="account-facts">
        <dt>{t("emailLabel")}</dt>
        <dd>
          {account.email ? (
            <>
              <span>{account.email}</span>{" "}
              <span className={account.emailVerified ? "badge" : "badge badge-warn"}>{account.emailVerified ? t("verified") : t("notVerified")}</span>
            </>
          ) : (
            <span className="muted">{t("noAddress")}</span>
          )}
        </dd>
        {account.pendingEmail ? (
          <>
            <dt>{t("pendingLabel")}</dt>
            <dd>
              <span>{account.pendingEmail}</span> <span className="badge badge-warn">{t("notVerified")}</span>
            </dd>
          </>
        ) : null}
      </dl>
      {unconfirmed ? <p className="muted">{t("unverifiedHint", { email: unconfirmed })}</p> : null}
      <div className="button-row">
        {unconfirmed ? (
          <button
            type="button"
            className="button"
            onClick={() => resend.mutate()}
            disabled={!account.mailEnabled || resend.isPending}
            aria-busy={resend.isPending}
          >
            {t("resend")}
          </button>
        ) : null}
        {account.pendingEmail ? (
          <button type="button" className="button button-quiet" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            {t("cancelChange")}
          </button>
        ) : null}
        {changing ? null : (
          <button type="button" className="button" onClick={() => setChanging(true)} disabled={!account.mailEnabled}>
            {t("change")}
          </button>
        )}
      </div>
      <p role="status" className="status-line">
        {status}
      </p>
      {changing ? (
        <form onSubmit={onChange} noValidate aria-labelledby="change-email-title" className="stack">
          <h3 id="change-email-title">{t("changeTitle")}</h3>
          <p className="muted">{t("changeIntro")}</p>
          <FormAlert ref={alertRef} message={changeErrors.form} />
          <TextField label={t("newEmail")} name="newEmail" type="email" autoComplete="email" required error={changeErrors.fields.newEmail} />
          <TextField
            label={t("currentPassword")}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            error={changeErrors.fields.currentPassword}
          />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={change.isPending} aria-busy={change.isPending}>
              {t("sendChangeLink")}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setChanging(false)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
