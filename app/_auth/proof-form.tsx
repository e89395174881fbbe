"use client";
// Confirms a sensitive change inline: the password, or (where `allowCode`) a current two-factor code.
// Six digits are read as a code (a password has at least ten characters), anything else as the password.
import { useTranslations } from "next-intl";
import { useEffect, useRef, type FormEvent } from "react";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import type { DescribedError } from "@/app/_shared/ui/describe-error";

export type Proof = { password: string } | { code: string };

export function ProofForm(props: {
  intro: string;
  submitLabel: string;
  allowCode: boolean;
  pending: boolean;
  errors: DescribedError;
  onSubmit: (proof: Proof) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("security");
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.errors.form) alertRef.current?.focus();
  }, [props.errors.form]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget).get("proof") ?? "");
    props.onSubmit(props.allowCode && /^\s*\d{6}\s*$/.test(typed) ? { code: typed.trim() } : { password: typed });
  }

  return (
    <form className="factor-inline-form" onSubmit={onSubmit} noValidate>
      <FormAlert ref={alertRef} message={props.errors.form} />
      <p>{props.intro}</p>
      <TextField
        label={props.allowCode ? t("passwordOrCode") : t("currentPassword")}
        name="proof"
        type="password"
        autoComplete="current-password"
        // The form opens on a button press to ask for exactly this field.
        autoFocus
        required
        error={props.errors.fields.password ?? props.errors.fields.code ?? props.errors.fields.proof}
      />
      <div className="factor-actions">
        <button type="submit" className="button button-danger" disabled={props.pending} aria-busy={props.pending}>
          {props.submitLabel}
        </button>
        <button type="button" className="button button-quiet" onClick={props.onCancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
