"use client";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { PostView } from "@/app/_social/wire/views";
import { RichText } from "./rich-text";

/** Every version of an edited post, newest first, loaded when the dialog opens. */
export function EditHistoryDialog({ post, open, onClose }: { post: PostView; open: boolean; onClose: () => void }) {
  const t = useTranslations("social");
  const format = useFormatter();
  const trpc = useTRPC();
  const describeError = useDescribeError();
  const edits = useQuery(trpc.social.posts.edits.queryOptions({ id: post.id }, { enabled: open }));
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });

  const versions = [
    { id: "current", text: post.text, contentWarning: post.contentWarning, writtenAt: post.editedAt ?? post.createdAt, current: true },
    ...(edits.data ?? []).map((edit) => ({ ...edit, current: false })),
  ];

  return (
    <ModalDialog open={open} onClose={onClose} title={t("editHistoryTitle")}>
      <div className="dialog-body">
        {edits.isPending ? (
          <p className="muted" aria-busy="true">
            {t("loadingHistory")}
          </p>
        ) : edits.isError ? (
          <p role="alert" className="field-error">
            {describeError(edits.error).form}
          </p>
        ) : (
          <ol className="edit-history">
            {versions.map((version) => (
              <li key={version.id} className="edit-version">
                <p className="edit-version-meta">
                  <time dateTime={version.writtenAt}>{when(version.writtenAt)}</time>
                  {version.current ? <span className="badge">{t("currentVersion")}</span> : null}
                </p>
                {version.contentWarning ? <p className="edit-version-warning">{t("contentWarningWas", { warning: version.contentWarning })}</p> : null}
                <p className="post-text" dir="auto">
                  <RichText text={version.text} />
                </p>
              </li>
            ))}
          </ol>
        )}
      </div>
    </ModalDialog>
  );
}
