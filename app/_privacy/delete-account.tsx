"use client";
// Account deletion: the password, then one of two ways (restorable for 30 days, or at once), each
// confirmed in a dialog. On success the session is gone; the log-in page says what happened.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useRef, useState, type FormEvent } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";

type Mode = "restorable" | "now";

/** `labelledBy`: the id of the section's heading, which names the form. */
export function DeleteAccount({ labelledBy }: { labelledBy: string }) {
  const t = useTranslations("privacy");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const passwordField = useRef<HTMLDivElement>(null);
  const [password, setPassword] = useState("");
  const [missingPassword, setMissingPassword] = useState(false);
  const [confirming, setConfirming] = useState<Mode | null>(null);
  // Set when the dialog closes because of an error, so focus goes to the password, not the opener.
  const refocusPassword = useRef(false);

  const deleteAccount = useMutation(
    trpc.privacy.deleteAccount.mutationOptions({
      onSuccess: ({ purged }) => {
        queryClient.clear();
        router.replace(purged ? "/login?deleted=1&purged=1" : "/login?deleted=1");
        router.refresh();
      },
    }),
  );

  const wrongPassword = deleteAccount.error?.data?.appCode === "INVALID_CREDENTIALS";
  const described = describeError(wrongPassword ? null : deleteAccount.error);
  const passwordError = missingPassword ? t("passwordRequired") : wrongPassword ? t("wrongPassword") : described.fields.password;

  const focusPassword = () => passwordField.current?.querySelector("input")?.focus();

  function ask(mode: Mode) {
    if (!password) {
      setMissingPassword(true);
      focusPassword();
      return;
    }
    setMissingPassword(false);
    deleteAccount.reset();
    setConfirming(mode);
  }

  function confirm() {
    if (!confirming || deleteAccount.isPending) return;
    deleteAccount.mutate(
      { password, now: confirming === "now" },
      {
        onError: () => {
          refocusPassword.current = true;
          setConfirming(null);
        },
      },
    );
  }

  function onClose() {
    setConfirming(null);
    if (refocusPassword.current) {
      refocusPassword.current = false;
      // The dialog gives focus back to its opener right after this; take it from there.
      requestAnimationFrame(focusPassword);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    ask("restorable");
  }

  return (
    <form onSubmit={onSubmit} noValidate className="stack" aria-labelledby={labelledBy}>
      <FormAlert message={described.fields.password ? null : described.form} />
      <div ref={passwordField}>
        <TextField
          label={t("deletePassword")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          hint={t("deletePasswordHint")}
          error={passwordError}
        />
      </div>
      <fieldset className="delete-choices">
        <legend className="sr-only">{t("deleteChoice")}</legend>
        <button type="button" className="button button-danger" onClick={() => ask("restorable")}>
          {t("deleteRestorable")}
        </button>
        <button type="button" className="button button-danger" onClick={() => ask("now")}>
          {t("deleteNow")}
        </button>
      </fieldset>
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === "now" ? t("confirmNowTitle") : t("confirmRestorableTitle")}
        confirmLabel={confirming === "now" ? t("confirmNow") : t("confirmRestorable")}
        pending={deleteAccount.isPending}
        onConfirm={confirm}
        onCancel={onClose}
      >
        <p>{confirming === "now" ? t("confirmNowBody") : t("confirmRestorableBody")}</p>
      </ConfirmDialog>
    </form>
  );
}
