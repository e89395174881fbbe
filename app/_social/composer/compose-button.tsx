"use client";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useOpenComposer } from "./composer-provider";

/**
 * Pages where the button must not float over the page on phones: a thread has its own reply box
 * right where the button floats. In the wide layouts' side column it stays, labelled "Post".
 */
function mustNotFloat(pathname: string): boolean {
  return pathname.startsWith("/post/");
}

/** The navigation's "Post" button: in the side column, or floating above the bottom bar on phones. `icon`: drawn by the server (see PrimaryNav). */
export function ComposeButton({ label, icon }: { label: string; icon: ReactNode }) {
  const open = useOpenComposer();
  const noFloat = mustNotFloat(usePathname());
  return (
    <button
      type="button"
      className={noFloat ? "button button-primary compose-button compose-button-no-float" : "button button-primary compose-button"}
      onClick={() => open({ kind: "new" })}
    >
      {icon}
      <span className="compose-button-label">{label}</span>
    </button>
  );
}
