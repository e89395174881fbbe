"use client";
// Reporting something to the operators, the same for a message, a post and a profile: a reason
// (spam, harassment, other) and an optional note. The caller sends it and says what was revealed.
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { FormAlert } from "./form-alert";
import { ModalDialog } from "./modal-dialog";

export type ReportReason = "spam" | "harassment" | "other";
const REASONS: readonly ReportReason[] = ["spam", "harassment", "other"];
export const REPORT_NOTE_MAX_LENGTH = 500;

interface ReportDialogProps {
  title: string;
  /** What the operators will see, said before sending (e.g. "this message and nothing else of the conversation"). */
  explanation: ReactNode;
  onClose: () => void;
  /** Sends the report; a rejection's message is shown in the dialog, which stays open. */
  onSubmit: (reason: ReportReason, note: string) => Promise<void>;
}

export function ReportDialog({ title, explanation, onClose, onSubmit }: ReportDialogProps) {
  const t = useTranslations("report");
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noteId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason) {
      setError(t("chooseReason"));
      return;
    }
    setPending(true);
    setError(null);
    try {
      await onSubmit(reason, note);
    } catch (failure) {
      setError(failure instanceof Error && failure.message ? failure.message : t("failed"));
      setPending(false);
    }
  }

  return (
    <ModalDialog open onClose={onClose} title={title} className="dialog-small">
      <form onSubmit={submit} noValidate className="report-form" data-testid="report-form">
        <div className="dialog-body">
          <p>{explanation}</p>
          <FormAlert message={error} />
          <fieldset className="report-reasons">
            <legend>{t("reasonLegend")}</legend>
            {REASONS.map((r, i) => (
              <label key={r} className="report-reason">
                <input
                  type="radio"
                  name="reason"
                  value={r}
                  checked={reason === r}
                  onChange={() => setReason(r)}
                  {...(i === 0 ? { "data-autofocus": "" } : {})}
                />
                <span>{t(`reason.${r}`)}</span>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={noteId}>{t("noteLabel")}</label>
            <textarea id={noteId} value={note} maxLength={REPORT_NOTE_MAX_LENGTH} rows={3} onChange={(event) => setNote(event.target.value)} />
          </div>
        </div>
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            {t("cancel")}
          </button>
          <button type="submit" className="button button-danger-solid" disabled={pending} aria-busy={pending}>
            {t("submit")}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
