"use client";
// /chat/settings: this device's read receipts and typing indicators (off means neither sent nor
// shown, as in Signal), and the offline passphrase that lets it open with no network; each device
// decides for itself, and the choice never leaves it.
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatSettings } from "@/app/_chat/engine/types";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { ChatPageHeader } from "./chat-page-header";
import { OfflinePassphraseSection } from "./offline-passphrase-section";
import { useChatErrorText } from "./use-chat-error-text";

export function ChatSettingsScreen() {
  const t = useTranslations("chat");
  const { settings: saved, status } = useChatSnapshot();
  // Shown at once as chosen (a switch must move when pressed), until the engine has stored it.
  const [chosen, setChosen] = useState<Partial<ChatSettings>>({});
  const settings = { ...saved, ...chosen };
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const [error, setError] = useState<string | null>(null);
  const ready = status.kind === "ready";

  function change(key: keyof ChatSettings, on: boolean) {
    setError(null);
    setChosen((current) => ({ ...current, [key]: on }));
    const settled = () =>
      setChosen((current) => {
        const { [key]: _settled, ...rest } = current;
        return rest;
      });
    commands.setChatSettings({ [key]: on }).then(settled, (failure: unknown) => {
      settled();
      setError(t("chatSettings.saveFailed", { reason: errorText(chatErrorCode(failure)) ?? "" }));
    });
  }

  return (
    <>
      <ChatPageHeader title={t("chatSettings.title")} back={{ href: "/chat", label: t("backToConversations") }} />
      <div className="chat-page-body" data-testid="chat-settings">
        <p className="muted">{t("chatSettings.intro")}</p>
        <FormAlert message={error} />
        <section className="chat-card">
          <SettingToggle
            label={t("chatSettings.readReceipts")}
            help={t("chatSettings.readReceiptsHelp")}
            on={settings.readReceipts}
            disabled={!ready}
            onChange={(on) => change("readReceipts", on)}
            testId="setting-read-receipts"
          />
          <SettingToggle
            label={t("chatSettings.typingIndicators")}
            help={t("chatSettings.typingIndicatorsHelp")}
            on={settings.typingIndicators}
            disabled={!ready}
            onChange={(on) => change("typingIndicators", on)}
            testId="setting-typing-indicators"
          />
        </section>
        <OfflinePassphraseSection />
      </div>
    </>
  );
}

function SettingToggle(props: { label: string; help: string; on: boolean; disabled: boolean; onChange(on: boolean): void; testId: string }) {
  const id = useId();
  const helpId = useId();
  return (
    <div className="field-checkbox chat-setting">
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={props.on}
        disabled={props.disabled}
        aria-describedby={helpId}
        onChange={(event) => props.onChange(event.target.checked)}
        data-testid={props.testId}
      />
      <div>
        <label htmlFor={id}>{props.label}</label>
        <p id={helpId} className="muted chat-setting-help">
          {props.help}
        </p>
      </div>
    </div>
  );
}
