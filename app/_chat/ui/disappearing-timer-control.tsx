"use client";
// The conversation's disappearing-message timer in its header: a native select (keyboard and screen
// readers work as everywhere), set for every member; the change is announced in the conversation.
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { DISAPPEARING_TIMERS } from "@/app/_chat/engine/chat-content";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import { Icon } from "@/app/_shared/ui/icons";
import { useChatErrorText } from "./use-chat-error-text";
import { useTimerLabel } from "./timer-label";

export function DisappearingTimerControl({ conversationId, seconds, disabled = false }: { conversationId: string; seconds: number; disabled?: boolean }) {
  const t = useTranslations("chat.disappearing");
  const timerLabel = useTimerLabel();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const id = useId();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="chat-timer-control" data-testid="disappearing-timer" data-seconds={seconds}>
      <Icon name="clock" />
      <label htmlFor={id} className="sr-only">
        {t("label")}
      </label>
      <select
        id={id}
        className="chat-timer-select"
        value={seconds}
        disabled={disabled || saving}
        title={t("label")}
        onChange={(event) => {
          setSaving(true);
          setError(null);
          commands
            .setDisappearingTimer(conversationId, Number(event.target.value))
            .catch((failure: unknown) => setError(chatErrorCode(failure)))
            .finally(() => setSaving(false));
        }}
      >
        {[0, ...DISAPPEARING_TIMERS].map((option) => (
          <option key={option} value={option}>
            {option === 0 ? t("off") : timerLabel(option)}
          </option>
        ))}
      </select>
      {error ? (
        <span role="alert" className="chat-timer-error">
          {errorText(error)}
        </span>
      ) : null}
    </span>
  );
}
