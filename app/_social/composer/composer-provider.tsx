"use client";
// One composer dialog for the whole signed-in app: the "Post" button, reply and quote actions
// and the "n" shortcut open it in the right mode.
import { useTranslations } from "next-intl";
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import type { ComposerMode } from "./composer";
import { LazyComposer } from "./lazy-composer";

type OpenComposer = (mode: ComposerMode) => void;

const ComposerContext = createContext<OpenComposer>(() => undefined);

export function useOpenComposer(): OpenComposer {
  return useContext(ComposerContext);
}

export function ComposerProvider({ children }: { children: ReactNode }) {
  const t = useTranslations("social");
  const [mode, setMode] = useState<ComposerMode | null>(null);
  const open = useCallback<OpenComposer>((next) => setMode(next), []);
  const close = useCallback(() => setMode(null), []);
  const title = mode?.kind === "reply" ? t("replyDialogTitle") : mode?.kind === "quote" ? t("quoteDialogTitle") : t("newPostDialogTitle");
  return (
    <ComposerContext value={open}>
      {children}
      <ModalDialog open={mode !== null} onClose={close} title={title} className="dialog-composer">
        {mode ? <LazyComposer key={mode.kind === "new" ? "new" : `${mode.kind}-${mode.post.id}`} mode={mode} autoFocus inDialog onPosted={close} /> : null}
      </ModalDialog>
    </ComposerContext>
  );
}
