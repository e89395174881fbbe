"use client";
// The call's layout, grid or speaker, remembered for the browser tab's session: a reload or the
// next call in this tab opens the way it was left.
import { useCallback, useState } from "react";

export type CallViewMode = "grid" | "speaker";

const STORAGE_KEY = "hearth.call.view";

function storedView(): CallViewMode {
  try {
    return sessionStorage.getItem(STORAGE_KEY) === "speaker" ? "speaker" : "grid";
  } catch {
    // Storage refused (private mode, blocked): the grid, as for a first call.
    return "grid";
  }
}

export function useCallView(): [CallViewMode, (view: CallViewMode) => void] {
  const [view, setView] = useState<CallViewMode>(storedView);
  const choose = useCallback((next: CallViewMode) => {
    setView(next);
    try {
      sessionStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, still switched.
    }
  }, []);
  return [view, choose];
}
