"use client";
// Linking from this (existing) device's side: show a code and wait; when the new device answers,
// show its name and ask before approving (and whether to send it the message history, sealed to
// it alone); then progress and the outcome. Each step moves focus to
// its heading, so keyboard and screen-reader users follow along.
import { useNow, useTranslations } from "next-intl";
import { useEffect, useRef, useState, type RefObject } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { LinkOfferState } from "@/app/_chat/engine/types";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { GroupedCode } from "./grouped-code";
import { QrCode } from "@/app/_shared/ui/qr-code";
import { useChatErrorText } from "./use-chat-error-text";

export function LinkOfferPanel() {
  const t = useTranslations("chat.link");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { link } = useChatSnapshot();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const startButton = useRef<HTMLButtonElement>(null);

  // "Done" is only put away here: cancelling now would close the relay slot the new device may
  // still be reading its keys from. The next offer replaces it.
  const [dismissed, setDismissed] = useState<LinkOfferState | null>(null);
  const shown = link !== null && link !== dismissed ? link : null;
  const kind = shown?.kind ?? null;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (kind === null ? startButton.current : heading.current)?.focus();
  }, [kind]);

  const act = (command: () => Promise<void>) => {
    if (pending) return;
    setPending(true);
    setError(null);
    command().then(
      () => setPending(false),
      (failure: unknown) => {
        setPending(false);
        setError(chatErrorCode(failure));
      },
    );
  };
  const start = () => act(() => commands.startLinkOffer());
  const cancel = () => act(() => commands.cancelLink());

  return (
    <div className="chat-link" data-testid="link-offer" data-state={kind ?? "idle"}>
      <FormAlert message={errorText(error)} />
      {shown === null ? (
        <>
          <p>{t("intro")}</p>
          <div>
            <button ref={startButton} type="button" className="button button-primary" onClick={start} aria-disabled={pending} aria-busy={pending}>
              {t("start")}
            </button>
          </div>
        </>
      ) : (
        <LinkStep
          state={shown}
          headingRef={heading}
          pending={pending}
          onStart={start}
          onCancel={cancel}
          onDismiss={() => setDismissed(shown)}
          onApprove={(sendHistory) => act(() => commands.approveLink({ sendHistory }))}
        />
      )}
    </div>
  );
}

interface LinkStepProps {
  state: LinkOfferState;
  headingRef: RefObject<HTMLHeadingElement | null>;
  pending: boolean;
  onStart: () => void;
  onCancel: () => void;
  onDismiss: () => void;
  onApprove: (sendHistory: boolean) => void;
}

function LinkStep({ state, headingRef, pending, onStart, onCancel, onDismiss, onApprove }: LinkStepProps) {
  const t = useTranslations("chat.link");
  // On by default: the new device otherwise starts empty; said next to the box what it means.
  const [sendHistory, setSendHistory] = useState(true);
  const errorText = useChatErrorText();
  const busy = { "aria-disabled": pending, "aria-busy": pending };
  const title = (text: string) => (
    <h3 ref={headingRef} tabIndex={-1} className="chat-link-title">
      {text}
    </h3>
  );
  switch (state.kind) {
    case "showing-code":
      return (
        <>
          {title(t("codeTitle"))}
          <ol className="chat-steps">
            <li>{t("step1")}</li>
            <li>{t("step2")}</li>
            <li>{t("step3")}</li>
            <li>{t("step4")}</li>
          </ol>
          <div className="chat-link-code-block">
            <GroupedCode value={state.code} size={4} className="chat-link-code" testId="link-code" />
            <QrCode value={state.code.replace(/[^0-9A-Za-z]/g, "")} label={t("qrLabel")} className="chat-qr chat-qr-small" />
          </div>
          <Countdown expiresAt={state.expiresAt} />
          <div className="chat-actions">
            <button type="button" className="button button-quiet" onClick={onCancel} {...busy}>
              {t("cancel")}
            </button>
          </div>
        </>
      );
    case "confirm":
      return (
        <>
          {title(t("confirmTitle"))}
          <p>{t.rich("confirmBody", { name: state.deviceName, strong: (chunks) => <strong data-testid="link-device-name">{chunks}</strong> })}</p>
          <p className="chat-warning">{t("confirmWarning")}</p>
          <div className="field-checkbox">
            <input
              id="link-send-history"
              type="checkbox"
              checked={sendHistory}
              onChange={(event) => setSendHistory(event.target.checked)}
              aria-describedby="link-send-history-hint"
              data-testid="link-send-history"
            />
            <label htmlFor="link-send-history">{t("sendHistory")}</label>
          </div>
          <p id="link-send-history-hint" className="field-hint">
            {t("sendHistoryHint")}
          </p>
          <div className="chat-actions">
            <button type="button" className="button button-primary" onClick={() => onApprove(sendHistory)} {...busy}>
              {t("approve")}
            </button>
            <button type="button" className="button button-quiet" onClick={onCancel} {...busy}>
              {t("cancel")}
            </button>
          </div>
        </>
      );
    case "linking":
      return (
        <>
          {title(t("linkingTitle"))}
          <p role="status" aria-busy="true" className="chat-busy-line">
            <span className="chat-spinner chat-spinner-small" aria-hidden="true" />
            {t("linking")}
          </p>
        </>
      );
    case "sending-history": {
      const percent = Math.round(Math.min(1, Math.max(0, state.progress)) * 100);
      return (
        <>
          {title(t("linkingTitle"))}
          <p role="status" id="link-history-step">
            {t("sendingHistory", { name: state.deviceName })}
          </p>
          <div className="chat-progress">
            <progress max={100} value={percent} aria-labelledby="link-history-step" />
            <span aria-hidden="true">{percent}%</span>
          </div>
        </>
      );
    }
    case "done":
      return (
        <>
          {title(t("doneTitle"))}
          <p role="status">{t("done", { name: state.deviceName })}</p>
          {state.history === "sent" ? <p data-testid="link-history-sent">{t("historySent")}</p> : null}
          {state.history === "failed" ? <p role="alert">{t("historyFailed")}</p> : null}
          <div className="chat-actions">
            <button type="button" className="button button-primary" onClick={onDismiss}>
              {t("close")}
            </button>
          </div>
        </>
      );
    case "expired":
      return (
        <>
          {title(t("expiredTitle"))}
          <p>{t("expired")}</p>
          <div className="chat-actions">
            <button type="button" className="button button-primary" onClick={onStart} {...busy}>
              {t("newCode")}
            </button>
            <button type="button" className="button button-quiet" onClick={onCancel} {...busy}>
              {t("close")}
            </button>
          </div>
        </>
      );
    case "failed":
      return (
        <>
          {title(t("failedTitle"))}
          <p role="alert">{errorText(state.code)}</p>
          <div className="chat-actions">
            <button type="button" className="button button-primary" onClick={onStart} {...busy}>
              {t("tryAgain")}
            </button>
            <button type="button" className="button button-quiet" onClick={onCancel} {...busy}>
              {t("close")}
            </button>
          </div>
        </>
      );
  }
}

/** "Expires in 4:32", ticking each second; announced only at the start, not every second. */
function Countdown({ expiresAt }: { expiresAt: number }) {
  const t = useTranslations("chat.link");
  const now = useNow({ updateInterval: 1000 });
  const left = Math.max(0, Math.ceil((expiresAt - now.getTime()) / 1000));
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, "0");
  return (
    <p className="chat-countdown" data-testid="link-countdown">
      {left > 0 ? t("expiresIn", { time: `${minutes}:${seconds}` }) : t("expiring")}
    </p>
  );
}
