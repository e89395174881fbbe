"use client";
// Where the focus goes when a conversation is opened from the list beside it: into the new
// conversation (its composer, or a request's Accept), as in desktop messengers, instead of staying
// on the list's link. Only for an opening asked for a moment ago, so a screen that appears later by
// itself never takes the focus; never on phones, where focusing the composer would raise the keyboard.
import { createContext, useContext, useEffect, type RefObject } from "react";

/** How long after a click in the list the conversation's screen may still take the focus (it may first load). */
const REQUEST_LIFETIME_MS = 5_000;

/** The list asks; the conversation's screen that mounts next takes the focus, once. */
export interface PaneFocus {
  ask(): void;
  /** Whether a request was pending (it is used up). */
  take(): boolean;
}

export function createPaneFocus(now: () => number = Date.now): PaneFocus {
  let askedAt: number | null = null;
  return {
    ask: () => void (askedAt = now()),
    take: () => {
      const pending = askedAt !== null && now() - askedAt <= REQUEST_LIFETIME_MS;
      askedAt = null;
      return pending;
    },
  };
}

export const PaneFocusContext = createContext<PaneFocus | null>(null);

/** Focuses `target` when it mounts if an opening from the list asked for it. */
export function useTakePaneFocus(target: RefObject<HTMLElement | null>): void {
  const paneFocus = useContext(PaneFocusContext);
  useEffect(() => {
    if (target.current && paneFocus?.take()) target.current.focus();
  }, [paneFocus, target]);
}
