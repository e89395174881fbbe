"use client";
// Whether the window is wide enough for the conversation list and the open conversation side by
// side. Chat pages render behind the set-up gate, never on the server.
import { useMediaQuery } from "@/app/_shared/ui/use-media-query";

/** The same width as the `.chat-panes` rules in chat.css. */
export const PANES_MEDIA_QUERY = "(min-width: 900px)";

export function useWideScreen(): boolean {
  return useMediaQuery(PANES_MEDIA_QUERY);
}
