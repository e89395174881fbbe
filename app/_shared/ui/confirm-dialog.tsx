"use client";
// Asks before something that cannot be undone. Focus starts on Cancel, the safe choice.
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { ModalDialog } from "./modal-dialog";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ open, title, children, confirmLabel, pending, onConfirm, onCancel }: ConfirmDialogProps) {
  const t = useTranslations("nav");
  return (
    <ModalDialog open={open} onClose={onCancel} title={title} className="dialog-small">
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={onCancel} data-autofocus="">
          {t("cancel")}
        </button>
        <button type="button" className="button button-danger-solid" onClick={onConfirm} disabled={pending} aria-busy={pending}>
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
