"use client";
// This browser's device was taken off the account's list (removed, or a new identity started
// elsewhere). Say what happened, and that the history here may be the only copy: offer to save it
// before anything is deleted.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { EngineStatus } from "@/app/_chat/engine/types";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { ChatPageHeader } from "./chat-page-header";

type CutOff = Extract<EngineStatus, { kind: "cut-off" }>;
type SaveState = { kind: "idle" } | { kind: "working" } | { kind: "done"; count: number } | { kind: "failed" };

export function CutOffScreen({ reason, by }: Pick<CutOff, "reason" | "by">) {
  const t = useTranslations("chat.cutOff");
  const commands = useChatCommands();
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const [confirming, setConfirming] = useState(false);
  const [discarding, setDiscarding] = useState(false);

  async function saveHistory() {
    if (save.kind === "working") return;
    setSave({ kind: "working" });
    try {
      setSave({ kind: "done", count: await commands.saveHistory() });
    } catch {
      setSave({ kind: "failed" });
    }
  }

  async function discard() {
    setDiscarding(true);
    try {
      await commands.discardAndSetUpAgain();
    } finally {
      setDiscarding(false);
      setConfirming(false);
    }
  }

  return (
    <>
      <ChatPageHeader title={t("title")} />
      <div className="chat-page-body chat-setup" data-testid="chat-cut-off" data-reason={reason}>
        <p role="alert">{reason === "new-identity" ? (by ? t("newIdentityBy", { device: by }) : t("newIdentity")) : t("removed")}</p>
        <p>{t("historyStays")}</p>
        <section className="chat-card" aria-labelledby="cut-off-save-title">
          <h2 id="cut-off-save-title">{t("saveTitle")}</h2>
          <p>{t("saveIntro")}</p>
          <div>
            <button
              type="button"
              className="button button-primary"
              onClick={() => void saveHistory()}
              aria-busy={save.kind === "working"}
              aria-disabled={save.kind === "working"}
            >
              {save.kind === "working" ? t("saving") : t("save")}
            </button>
          </div>
          <p role="status" className="status-line">
            {save.kind === "done" ? t("saved", { count: save.count }) : save.kind === "failed" ? t("saveFailed") : null}
          </p>
        </section>
        <section className="chat-card" aria-labelledby="cut-off-again-title">
          <h2 id="cut-off-again-title">{t("againTitle")}</h2>
          <p>{t("againIntro")}</p>
          <div>
            <button type="button" className="button button-quiet" onClick={() => setConfirming(true)}>
              {t("again")}
            </button>
          </div>
        </section>
        <ConfirmDialog
          open={confirming}
          title={t("confirmTitle")}
          confirmLabel={t("confirmSubmit")}
          pending={discarding}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void discard()}
        >
          <p>{save.kind === "done" ? t("confirmBodySaved") : t("confirmBody")}</p>
        </ConfirmDialog>
      </div>
    </>
  );
}
