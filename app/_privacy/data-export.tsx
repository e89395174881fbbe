"use client";
// "Download my data": asks for an export, shows its progress (polling every second while it is
// queued or running), then links the ZIP. The export the person started here keeps its bar,
// full, once it is done, so the finish is seen and not only inferred from a new link.
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { ExportWithMessages } from "./export-with-messages";
import type { ExportJob } from "./privacy-outputs";

const POLL_MS = 1000;

const isActive = (job: ExportJob | undefined) => job?.status === "queued" || job?.status === "running";

export function DataExport() {
  const t = useTranslations("privacy");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const progressId = useId();
  const [startedId, setStartedId] = useState<string | null>(null);
  const progressBlock = useRef<HTMLDivElement>(null);
  const { data: jobs } = useSuspenseQuery(
    trpc.privacy.exports.queryOptions(undefined, { refetchInterval: (query) => (isActive(query.state.data?.[0]) ? POLL_MS : false) }),
  );
  const request = useMutation(
    trpc.privacy.requestExport.mutationOptions({
      onSuccess: ({ id }) => {
        setStartedId(id);
        return queryClient.invalidateQueries({ queryKey: trpc.privacy.pathKey() });
      },
    }),
  );

  // The button pressed is replaced by the progress bar: focus follows, rather than falling to the page.
  useEffect(() => {
    if (startedId) progressBlock.current?.focus();
  }, [startedId]);

  // Until the list has caught up with a new request, the request itself says it is queued.
  const started = startedId ? jobs.find((job) => job.id === startedId) : undefined;
  const latest = startedId && !started ? undefined : jobs[0];
  const waiting = startedId !== null && !started;
  const active = waiting || isActive(latest);
  const showProgress = active || (latest !== undefined && latest.id === startedId && latest.status === "ready");
  const progress = waiting || !latest ? 0 : latest.status === "ready" ? 100 : latest.progress;

  let status: string | null = null;
  if (waiting || latest?.status === "queued") status = t("exportQueued");
  else if (latest?.status === "running") status = t("exportRunning");
  else if (latest?.status === "ready" && latest.downloadable) status = t("exportReady");
  else if (latest?.status === "failed") status = t("exportFailed");

  const requestButton = (label: string, className = "button button-primary") => (
    <button
      type="button"
      className={className}
      onClick={() => !request.isPending && request.mutate()}
      aria-disabled={request.isPending}
      aria-busy={request.isPending}
    >
      {request.isPending ? t("exportRequesting") : label}
    </button>
  );

  return (
    <div className="stack">
      <FormAlert message={describeError(request.error).form} />
      {showProgress ? (
        <div ref={progressBlock} tabIndex={-1} className="export-progress">
          <label htmlFor={progressId}>{t("exportProgressLabel")}</label>
          <div className="export-bar">
            <progress id={progressId} max={100} value={progress} />
            <span aria-hidden="true">{t("exportPercent", { progress })}</span>
          </div>
        </div>
      ) : null}
      {/* Phases, not percentages, are announced: a changing number every second would drown a screen reader. */}
      <p role="status" className="status-line">
        {status}
      </p>
      {!active && latest?.status === "ready" && latest.downloadable ? (
        <div className="export-ready">
          <a className="button button-primary" href={`/api/privacy/export/${latest.id}`} download>
            {t("exportDownload", { size: formatBytes(format, latest.bytes ?? 0) })}
          </a>
          {latest.expiresAt ? (
            <p className="muted">
              {t("exportAvailableUntil", { date: format.dateTime(new Date(latest.expiresAt), { dateStyle: "long", timeStyle: "short" }) })}
            </p>
          ) : null}
          <ExportWithMessages exportId={latest.id} />
          <div>{requestButton(t("exportAgain"), "button button-quiet")}</div>
        </div>
      ) : null}
      {!active && latest?.status === "failed" ? <div>{requestButton(t("exportRetry"))}</div> : null}
      {!active && (!latest || (latest.status === "ready" && !latest.downloadable)) ? <div>{requestButton(t("exportRequest"))}</div> : null}
    </div>
  );
}

function formatBytes(format: ReturnType<typeof useFormatter>, bytes: number): string {
  if (bytes < 1000 * 1000) return format.number(Math.max(1, Math.round(bytes / 1000)), { style: "unit", unit: "kilobyte" });
  return format.number(bytes / (1000 * 1000), { style: "unit", unit: "megabyte", maximumFractionDigits: 1 });
}
