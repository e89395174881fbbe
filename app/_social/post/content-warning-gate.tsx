"use client";
import { useTranslations } from "next-intl";
import { useId, useState, type ReactNode } from "react";
import { Icon } from "@/app/_shared/ui/icons";

/** Shows the author's warning instead of the text and media until the reader asks for them. */
export function ContentWarningGate({ warning, children }: { warning: string | null; children: ReactNode }) {
  const t = useTranslations("social");
  const [shown, setShown] = useState(false);
  const bodyId = useId();
  if (!warning) return <>{children}</>;
  return (
    <>
      <div className="content-warning">
        <Icon name="warning" />
        <span className="content-warning-text">{warning}</span>
        <button type="button" className="button button-small button-quiet" aria-expanded={shown} aria-controls={bodyId} onClick={() => setShown((s) => !s)}>
          {shown ? t("hideContent") : t("showContent")}
        </button>
      </div>
      <div id={bodyId} className="content-warning-body">
        {shown ? children : null}
      </div>
    </>
  );
}
