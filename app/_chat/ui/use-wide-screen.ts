"use client";
// Whether the window is wide enough for the conversation list and the open conversation side by
// side. Read from the browser only: chat pages render behind the set-up gate, never on the server.
import { useSyncExternalStore } from "react";

/** The same width as the `.chat-panes` rules in chat.css. */
export const PANES_MEDIA_QUERY = "(min-width: 900px)";

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(PANES_MEDIA_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

export function useWideScreen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(PANES_MEDIA_QUERY).matches,
    () => false,
  );
}
