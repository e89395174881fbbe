"use client";
// The export's second button: the same ZIP, with this browser's message history added on the
// device (the chat module does the work and is loaded only when asked).
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC, useTRPCClient } from "@/app/_shared/trpc/client";

type State = { kind: "idle" } | { kind: "working" } | { kind: "done"; count: number } | { kind: "failed" };

export function ExportWithMessages({ exportId }: { exportId: string }) {
  const t = useTranslations("privacy");
  const trpc = useTRPC();
  const client = useTRPCClient();
  const me = useQuery(trpc.auth.me.queryOptions());
  const [state, setState] = useState<State>({ kind: "idle" });
  const userId = me.data?.userId;

  async function save() {
    if (!userId || state.kind === "working") return;
    setState({ kind: "working" });
    try {
      const { saveExportWithMessageHistory } = await import("@/app/_chat/export/message-history");
      const count = await saveExportWithMessageHistory({
        client,
        userId,
        exportUrl: `/api/privacy/export/${exportId}`,
        fileName: `hearth-export-${exportId}.zip`,
      });
      setState({ kind: "done", count });
    } catch {
      setState({ kind: "failed" });
    }
  }

  return (
    <div className="stack">
      <div>
        <button
          type="button"
          className="button"
          onClick={() => void save()}
          aria-disabled={!userId || state.kind === "working"}
          aria-busy={state.kind === "working"}
        >
          {state.kind === "working" ? t("exportWithMessagesWorking") : t("exportWithMessages")}
        </button>
      </div>
      <p className="muted">{t("exportWithMessagesHint")}</p>
      <p role="status" className="status-line">
        {state.kind === "done" ? t("exportWithMessagesDone", { count: state.count }) : state.kind === "failed" ? t("exportWithMessagesFailed") : null}
      </p>
    </div>
  );
}
