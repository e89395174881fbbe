"use client";
// The operator's reports: each with what was reported (for a message, the revealed text and the
// server's franking verdict), who reported it and why; the operator suspends the account reported
// or dismisses the report.
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { Wire } from "@/app/_shared/trpc/wire";
import type * as Reports from "@/server/data/moderation/reports";

type ReportView = Wire<Reports.ReportView>;
type ReportedPerson = Wire<Reports.ReportedPerson>;

type Verdict = "commitment_mismatch" | "tag_mismatch" | "replayed";
type Reason = "spam" | "harassment" | "other";

export function ReportList() {
  const t = useTranslations("operatorReports");
  const trpc = useTRPC();
  const { data: reports } = useSuspenseQuery(trpc.operator.reports.list.queryOptions());
  if (reports.length === 0) return <p className="muted">{t("empty")}</p>;
  return (
    <ol className="report-list" aria-label={t("title")}>
      {reports.map((report) => (
        <ReportItem key={`${report.kind}:${report.id}`} report={report} />
      ))}
    </ol>
  );
}

function ReportItem({ report }: { report: ReportView }) {
  const t = useTranslations("operatorReports");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirmSuspend, setConfirmSuspend] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.operator.reports.list.queryKey() });
  const onError = () => toast({ kind: "error", message: t("failed") });
  const dismiss = useMutation(
    trpc.operator.reports.dismiss.mutationOptions({ onSuccess: () => (toast({ message: t("dismissedToast") }), refresh()), onError }),
  );
  const suspend = useMutation(
    trpc.operator.accounts.setSuspended.mutationOptions({
      onSuccess: (_result, { suspended }) => {
        toast({ message: t(suspended ? "suspendedToast" : "unsuspendedToast", { handle: report.subject.handle }) });
        void refresh();
      },
      onError,
    }),
  );
  const time = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "medium" });
  const subject: ReportedPerson = report.subject;

  return (
    <li className={`report-item${report.dismissedAt ? " is-dismissed" : ""}`} data-testid="report" data-kind={report.kind}>
      <article aria-labelledby={`report-${report.id}`}>
        <h2 id={`report-${report.id}`} className="report-heading">
          {t(`kind.${report.kind}`)} · <time dateTime={report.createdAt}>{time(report.createdAt)}</time>
        </h2>
        <p>
          {t("about", { handle: subject.handle, name: subject.displayName })}
          {subject.suspended ? <strong className="report-badge"> · {t("suspended")}</strong> : null}
        </p>
        {report.kind === "message" ? (
          <>
            <blockquote className="report-text" dir="auto" data-testid="report-text">
              {report.body}
            </blockquote>
            <p className={report.verdict === "verified" ? "report-verdict is-verified" : "report-verdict"} data-testid="report-verdict">
              {report.verdict === "verified"
                ? t("verified", { handle: subject.handle, time: time(report.deliveredAt) })
                : t(`notVerified.${report.verdict as Verdict}`, { handle: subject.handle })}
            </p>
            <p className="muted">{t("sentAt", { time: time(report.sentAt) })}</p>
          </>
        ) : null}
        {report.kind === "post" ? (
          <blockquote className="report-text" dir="auto" data-testid="report-text">
            {report.post.text}
          </blockquote>
        ) : null}
        <p>
          {t("reportedBy", { handle: report.reporter.handle })} · {t(`reason.${report.reason as Reason}`)}
        </p>
        {report.note ? <p>{t("note", { note: report.note })}</p> : null}
        <div className="report-actions">
          {subject.suspended ? (
            <button
              type="button"
              className="button button-quiet button-small"
              disabled={suspend.isPending}
              onClick={() => suspend.mutate({ userId: subject.userId, suspended: false })}
            >
              {t("unsuspend", { handle: subject.handle })}
            </button>
          ) : (
            <button type="button" className="button button-danger-solid button-small" onClick={() => setConfirmSuspend(true)}>
              {t("suspend", { handle: subject.handle })}
            </button>
          )}
          {report.dismissedAt ? (
            <span className="muted">{t("dismissed")}</span>
          ) : (
            <button
              type="button"
              className="button button-quiet button-small"
              disabled={dismiss.isPending}
              onClick={() => dismiss.mutate({ kind: report.kind, id: report.id })}
            >
              {t("dismiss")}
            </button>
          )}
        </div>
      </article>
      {confirmSuspend ? (
        <ConfirmDialog
          open
          title={t("suspendConfirmTitle", { handle: subject.handle })}
          confirmLabel={t("suspend", { handle: subject.handle })}
          pending={suspend.isPending}
          onConfirm={() => {
            setConfirmSuspend(false);
            suspend.mutate({ userId: subject.userId, suspended: true });
          }}
          onCancel={() => setConfirmSuspend(false)}
        >
          <p>{t("suspendConfirmBody")}</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}
