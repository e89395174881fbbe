"use client";
// One composer dialog for the whole signed-in app: the "Post" button, reply and quote actions
// and the "n" shortcut open it in the right mode. The dialog's code loads when the browser is
// idle after the page came up (or at the first opening, if sooner), not in the first load.
import dynamic from "next/dynamic";
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import type { ComposerMode } from "./composer";

type OpenComposer = (mode: ComposerMode) => void;

const ComposerContext = createContext<OpenComposer>(() => undefined);

const loadComposerDialog = () => import("./composer-dialog");
const ComposerDialog = dynamic(() => loadComposerDialog().then((m) => m.ComposerDialog), { ssr: false });

export function useOpenComposer(): OpenComposer {
  return useContext(ComposerContext);
}

export function ComposerProvider({ children }: { children: ReactNode }) {
  const [mode, setMode] = useState<ComposerMode | null>(null);
  const open = useCallback<OpenComposer>((next) => setMode(next), []);
  const close = useCallback(() => setMode(null), []);
  useEffect(() => {
    // Safari has no requestIdleCallback; a second after the page came up will do there.
    if (typeof requestIdleCallback !== "function") {
      const timer = setTimeout(() => void loadComposerDialog(), 1000);
      return () => clearTimeout(timer);
    }
    const idle = requestIdleCallback(() => void loadComposerDialog());
    return () => cancelIdleCallback(idle);
  }, []);
  return (
    <ComposerContext value={open}>
      {children}
      {mode ? <ComposerDialog mode={mode} onClose={close} /> : null}
    </ComposerContext>
  );
}
