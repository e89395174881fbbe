"use client";
// The menu on someone else's post: report it to the operators.
import { useMutation } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useDescribeError, type HearthClientError } from "@/app/_shared/ui/describe-error";
import { PopoverMenu } from "@/app/_shared/ui/popover-menu";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { PostView } from "@/app/_social/wire/views";

// Loaded when first opened: a timeline's first load carries only the menu.
const ReportDialog = dynamic(() => import("@/app/_shared/ui/report-dialog").then((m) => m.ReportDialog), { ssr: false });

export function PostReportMenu({ post }: { post: PostView }) {
  const t = useTranslations("social");
  const tr = useTranslations("report");
  const trpc = useTRPC();
  const toast = useToast();
  const describeError = useDescribeError();
  const [open, setOpen] = useState(false);
  const report = useMutation(trpc.social.posts.report.mutationOptions());

  return (
    <>
      <span className="post-menu">
        <PopoverMenu label={t("postMenu")} items={[{ key: "report", label: tr("postTitle"), icon: "warning", onSelect: () => setOpen(true) }]} />
      </span>
      {open ? (
        <ReportDialog
          title={tr("postTitle")}
          explanation={tr("postExplanation")}
          onClose={() => setOpen(false)}
          onSubmit={async (reason, note) => {
            try {
              await report.mutateAsync({ id: post.id, reason, note });
            } catch (error) {
              throw new Error(describeError(error as HearthClientError).form ?? tr("failed"));
            }
            setOpen(false);
            toast({ message: tr("sent") });
          }}
        />
      ) : null}
    </>
  );
}
