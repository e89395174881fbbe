import type { ReactNode } from "react";
import { Icon } from "@/app/_shared/ui/icons";
import { BackButton } from "./back-button";

/** The sticky title bar of the centre column; holds the page's h1. */
export function ColumnHeader({ title, subtitle, back = false, children }: { title: string; subtitle?: ReactNode; back?: boolean; children?: ReactNode }) {
  return (
    <div className="column-header">
      {back ? <BackButton icon={<Icon name="back" />} /> : null}
      <div className="column-header-text">
        <h1>{title}</h1>
        {subtitle ? <p className="column-header-subtitle">{subtitle}</p> : null}
      </div>
      {children}
    </div>
  );
}
