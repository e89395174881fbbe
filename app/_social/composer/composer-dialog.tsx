"use client";
// The composer in a dialog (see composer-provider.tsx), mounted open and unmounted to close.
import { useTranslations } from "next-intl";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import type { ComposerMode } from "./composer";
import { LazyComposer } from "./lazy-composer";

export function ComposerDialog({ mode, onClose }: { mode: ComposerMode; onClose: () => void }) {
  const t = useTranslations("social");
  const title = mode.kind === "reply" ? t("replyDialogTitle") : mode.kind === "quote" ? t("quoteDialogTitle") : t("newPostDialogTitle");
  return (
    <ModalDialog open onClose={onClose} title={title} className="dialog-composer">
      <LazyComposer key={mode.kind === "new" ? "new" : `${mode.kind}-${mode.post.id}`} mode={mode} autoFocus inDialog onPosted={onClose} />
    </ModalDialog>
  );
}
