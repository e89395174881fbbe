import type { MouseEvent } from "react";

/**
 * Whether a click on a clickable card landed on something with its own meaning (a link, a
 * button, a field) or selected text; the card then leaves the click alone.
 */
export function isInteractiveTarget(event: MouseEvent): boolean {
  const target = event.target as Element;
  if (target.closest("a, button, input, textarea, select, label, dialog, [role='menu']")) return true;
  return Boolean(window.getSelection()?.toString());
}
