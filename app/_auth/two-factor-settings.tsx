"use client";
// Two-factor authentication: turning it on (a QR code and the key as text, confirmed by a first
// code), the recovery codes shown once, new ones, and turning it off behind the password or a code.
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { QrCode } from "@/app/_shared/ui/qr-code";
import { TextField } from "@/app/_shared/ui/text-field";
import { ProofForm } from "./proof-form";

type Confirming = "regenerate" | "disable" | null;

export function TwoFactorSettings() {
  const t = useTranslations("security");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const { data: status } = useSuspenseQuery(trpc.auth.twoFactor.status.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.twoFactor.status.queryKey() });
  const [message, setMessage] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const recoveryHeading = useRef<HTMLHeadingElement>(null);

  const begin = useMutation(trpc.auth.twoFactor.begin.mutationOptions({ onSuccess: () => setMessage(null) }));
  const confirm = useMutation(
    trpc.auth.twoFactor.confirm.mutationOptions({
      onSuccess: ({ recoveryCodes }) => {
        begin.reset();
        setRecoveryCodes(recoveryCodes);
        setMessage(t("turnedOn"));
        return refresh();
      },
    }),
  );
  const regenerate = useMutation(
    trpc.auth.twoFactor.regenerateRecoveryCodes.mutationOptions({
      onSuccess: ({ recoveryCodes }) => {
        setConfirming(null);
        setRecoveryCodes(recoveryCodes);
        return refresh();
      },
    }),
  );
  const disable = useMutation(
    trpc.auth.twoFactor.disable.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        setRecoveryCodes(null);
        setMessage(t("turnedOff"));
        return refresh();
      },
    }),
  );

  useEffect(() => {
    if (recoveryCodes) recoveryHeading.current?.focus();
  }, [recoveryCodes]);

  const beginErrors = describeError(begin.error);
  const confirmErrors = describeError(confirm.error);

  function onConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    confirm.mutate({ code: String(new FormData(event.currentTarget).get("code") ?? "") });
  }

  if (recoveryCodes) {
    return (
      <div className="stack">
        <p role="status" className="status-line">
          {message}
        </p>
        <h3 ref={recoveryHeading} tabIndex={-1}>
          {t("recoveryTitle")}
        </h3>
        <p>{t("recoveryIntro")}</p>
        <ul className="recovery-codes" aria-label={t("recoveryCodesLabel")}>
          {recoveryCodes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ul>
        <div className="factor-actions">
          <button
            type="button"
            className="button"
            onClick={() => void navigator.clipboard?.writeText(recoveryCodes.join("\n")).then(() => setMessage(t("copied")))}
          >
            {t("copyCodes")}
          </button>
          <button type="button" className="button button-primary" onClick={() => setRecoveryCodes(null)}>
            {t("savedCodes")}
          </button>
        </div>
      </div>
    );
  }

  if (status.enabled) {
    const activeErrors = describeError(confirming === "regenerate" ? regenerate.error : confirming === "disable" ? disable.error : null);
    return (
      <div className="stack">
        <p role="status" className="status-line">
          {message}
        </p>
        <p>
          {status.enabledAt ? t("twoFactorOn", { time: format.dateTime(new Date(status.enabledAt), { dateStyle: "medium" }) }) : null}{" "}
          {t("recoveryCodesLeft", { count: status.recoveryCodesLeft })}
        </p>
        {confirming ? (
          <ProofForm
            intro={confirming === "regenerate" ? t("newRecoveryConfirm") : t("turnOffConfirm")}
            submitLabel={confirming === "regenerate" ? t("confirm") : t("turnOff")}
            allowCode
            pending={regenerate.isPending || disable.isPending}
            errors={activeErrors}
            onSubmit={(proof) => (confirming === "regenerate" ? regenerate.mutate({ proof }) : disable.mutate({ proof }))}
            onCancel={() => setConfirming(null)}
          />
        ) : (
          <div className="factor-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                regenerate.reset();
                setConfirming("regenerate");
              }}
            >
              {t("newRecoveryCodes")}
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                disable.reset();
                setConfirming("disable");
              }}
            >
              {t("turnOff")}
            </button>
          </div>
        )}
      </div>
    );
  }

  return (
    <div className="stack">
      <p role="status" className="status-line">
        {message}
      </p>
      <p className="muted">{t("twoFactorOff")}</p>
      <FormAlert message={beginErrors.form} />
      {begin.data ? (
        <form className="factor-inline-form" onSubmit={onConfirm} noValidate aria-label={t("turnOn")}>
          <FormAlert message={confirmErrors.form} />
          <p>{t("scanQr")}</p>
          <QrCode value={begin.data.uri} label={t("qrLabel")} className="totp-qr" />
          <p>
            {t("orEnterKey")}{" "}
            <code className="totp-secret" aria-label={t("setupKeyLabel")} data-testid="totp-secret">
              {begin.data.secret}
            </code>
          </p>
          <TextField
            label={t("enterFirstCode")}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            required
            error={confirmErrors.fields.code}
          />
          <div className="factor-actions">
            <button type="submit" className="button button-primary" disabled={confirm.isPending} aria-busy={confirm.isPending}>
              {confirm.isPending ? t("confirming") : t("confirmCode")}
            </button>
            <button type="button" className="button button-quiet" onClick={() => begin.reset()}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : (
        <div className="factor-actions">
          <button type="button" className="button button-primary" onClick={() => begin.mutate()} disabled={begin.isPending} aria-busy={begin.isPending}>
            {begin.isPending ? t("starting") : t("turnOn")}
          </button>
        </div>
      )}
    </div>
  );
}
