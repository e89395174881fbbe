"use client";
// What the composer is doing besides writing a new message: replying to one (a preview bar above
// the field) or editing one of one's own (the field holds its text). A conversation screen owns it;
// the message menu sets it, the composer shows and clears it.
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import type { ChatMessage } from "@/app/_chat/engine/types";

/** `authorName`: who wrote the message replied to, as the thread names them ("You" for one's own). */
export type ComposerMode = { kind: "reply"; message: ChatMessage; authorName: string } | { kind: "edit"; message: ChatMessage } | null;

interface ComposerModeValue {
  mode: ComposerMode;
  setMode(mode: ComposerMode): void;
}

const ComposerModeContext = createContext<ComposerModeValue>({ mode: null, setMode: () => undefined });

/** One per open conversation (keyed by it, so switching conversations starts afresh). */
export function ComposerModeProvider({ children }: { children: ReactNode }) {
  const [mode, setMode] = useState<ComposerMode>(null);
  const value = useMemo(() => ({ mode, setMode }), [mode]);
  return <ComposerModeContext.Provider value={value}>{children}</ComposerModeContext.Provider>;
}

export function useComposerMode(): ComposerModeValue {
  return useContext(ComposerModeContext);
}
