"use client";
// Every chat screen starts here: until this browser has its keys and the engine is ready, the gate
// shows where things stand (starting, set-up choices, progress, the offline passphrase, failure).
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useCallback, useState, type ReactNode } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { SetupStep } from "@/app/_chat/engine/types";
import { ChatPageHeader } from "./chat-page-header";
import { OfflineUnlockScreen } from "./offline-unlock-screen";
import { useChatErrorText } from "./use-chat-error-text";

// Shown once in a browser's life (set-up) or never (cut off): loaded when needed, not with every chat page.
const SetupScreen = dynamic(() => import("./setup-screen").then((m) => m.SetupScreen), { ssr: false, loading: () => <StartingView /> });
const CutOffScreen = dynamic(() => import("./cut-off-screen").then((m) => m.CutOffScreen), { ssr: false, loading: () => <StartingView /> });

export function ChatGate({ children }: { children: ReactNode }) {
  const t = useTranslations("chat");
  const { status } = useChatSnapshot();
  const errorText = useChatErrorText();
  // A set-up command outlives the screen that started it (progress replaces that screen), so its
  // failure is kept here, to show when the choices come back.
  const [setupError, setSetupError] = useState<string | null>(null);
  const runSetup = useCallback(async (action: () => Promise<void>) => {
    setSetupError(null);
    try {
      await action();
    } catch (error) {
      setSetupError(chatErrorCode(error));
    }
  }, []);

  switch (status.kind) {
    case "ready":
      return children;
    case "starting":
      return <StartingView />;
    case "needs-setup":
      return <SetupScreen otherDevices={status.otherDevices} backups={status.backups} error={errorText(setupError)} run={runSetup} />;
    case "cut-off":
      return <CutOffScreen reason={status.reason} by={status.by} />;
    case "locked-offline":
      return <OfflineUnlockScreen />;
    case "working":
      return <WorkingView step={status.step} progress={status.progress} />;
    case "failed":
      return (
        <div className="chat-gate" data-testid="chat-failed">
          <h1>{t("gate.failedTitle")}</h1>
          <p role="alert">{errorText(status.code)}</p>
          {status.code === "chat_offline" ? <p className="muted">{t("gate.offlineLocked")}</p> : null}
          <ReloadButton label={t("gate.tryAgain")} />
        </div>
      );
  }
}

/** Messages is starting; also shown while the set-up screen's code loads, so the gate does not blink. */
function StartingView() {
  const t = useTranslations("chat");
  return (
    <div className="chat-gate" aria-busy="true" data-testid="chat-starting">
      <h1 className="sr-only">{t("title")}</h1>
      <span className="chat-spinner" aria-hidden="true" />
      <p role="status">{t("gate.starting")}</p>
    </div>
  );
}

function WorkingView({ step, progress }: { step: SetupStep; progress: number | null }) {
  const t = useTranslations("chat");
  const percent = progress === null ? null : Math.round(Math.min(1, Math.max(0, progress)) * 100);
  return (
    <>
      <ChatPageHeader title={t("gate.workingTitle")} />
      <div className="chat-gate" aria-busy="true" data-testid="chat-working" data-step={step}>
        <p role="status" id="chat-working-step" className="chat-working-step">
          {t(`steps.${step}`)}
        </p>
        {step === "waiting-for-approval" ? <p className="muted">{t("steps.waitingHint")}</p> : null}
        {percent === null ? (
          <span className="chat-spinner" aria-hidden="true" />
        ) : (
          <div className="chat-progress">
            <progress max={100} value={percent} aria-labelledby="chat-working-step" />
            <span aria-hidden="true">{t("percent", { percent })}</span>
          </div>
        )}
      </div>
    </>
  );
}

function ReloadButton({ label }: { label: string }) {
  return (
    <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
      {label}
    </button>
  );
}
