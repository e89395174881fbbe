"use client";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useState } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { useTRPC } from "@/app/_shared/trpc/client";

export function SessionList() {
  const t = useTranslations("settings");
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const [status, setStatus] = useState<string | null>(null);
  const { data: sessions } = useSuspenseQuery(trpc.auth.sessions.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.list.queryKey() });

  const revoke = useMutation(
    trpc.auth.sessions.revoke.mutationOptions({
      onSuccess: (_, { id }) => {
        setStatus(t("revoked"));
        if (sessions.find((s) => s.id === id)?.current) router.replace("/login");
        return refresh();
      },
    }),
  );
  const revokeOthers = useMutation(
    trpc.auth.sessions.revokeOthers.mutationOptions({
      onSuccess: ({ revoked }) => {
        setStatus(t("revokedOthers", { count: revoked }));
        return refresh();
      },
    }),
  );
  const error = describeError(revoke.error ?? revokeOthers.error).form;
  const others = sessions.filter((s) => !s.current);

  return (
    <div className="stack">
      <FormAlert message={error} />
      <p role="status" className="status-line">
        {status}
      </p>
      <ul className="session-list" aria-label={t("sessionsTitle")}>
        {sessions.map((session) => {
          const lastUsed = format.relativeTime(new Date(session.lastUsedAt), now);
          return (
            <li key={session.id} className="session-item">
              <div>
                <p className="session-device">
                  {session.deviceLabel}
                  {session.current ? <span className="badge">{t("thisDevice")}</span> : null}
                </p>
                <p className="muted">
                  {t("lastUsed", { time: lastUsed })} ·{" "}
                  {t("signedInAt", { time: format.dateTime(new Date(session.createdAt), { dateStyle: "medium", timeStyle: "short" }) })}
                </p>
              </div>
              {session.current ? null : (
                <button
                  type="button"
                  className="button button-quiet"
                  aria-label={t("revokeLabel", { device: session.deviceLabel, time: lastUsed })}
                  onClick={() => revoke.mutate({ id: session.id })}
                  disabled={revoke.isPending}
                >
                  {t("revoke")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {others.length > 0 ? (
        <button type="button" className="button button-danger" onClick={() => revokeOthers.mutate()} disabled={revokeOthers.isPending}>
          {t("revokeOthers")}
        </button>
      ) : (
        <p className="muted">{t("onlyThisSession")}</p>
      )}
    </div>
  );
}
