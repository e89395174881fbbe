"use client";
import { Icon } from "@/app/_shared/ui/icons";
import { useOpenComposer } from "./composer-provider";

/** The navigation's "Post" button. */
export function ComposeButton({ label }: { label: string }) {
  const open = useOpenComposer();
  return (
    <button type="button" className="button button-primary compose-button" onClick={() => open({ kind: "new" })}>
      <Icon name="feather" className="compose-button-icon" />
      <span className="compose-button-label">{label}</span>
    </button>
  );
}
