"use client";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { PostView } from "@/app/_social/wire/views";

// Loaded when first opened.
const EditHistoryDialog = dynamic(() => import("./edit-history-dialog").then((m) => m.EditHistoryDialog), { ssr: false });

/** The "edited" marker, which opens the edit history. */
export function EditedMarker({ post }: { post: PostView }) {
  const t = useTranslations("social");
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="post-edited" aria-label={t("editedShowHistory")} onClick={() => setOpen(true)}>
        {t("edited")}
      </button>
      {open ? <EditHistoryDialog post={post} open onClose={() => setOpen(false)} /> : null}
    </>
  );
}
