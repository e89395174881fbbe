"use client";
// Shown when Messages starts with no network on a device that keeps an offline copy locked with
// the person's offline passphrase (status "locked-offline"): the passphrase opens the messages
// here, and a wrong one only says so (no lockout). Loaded with the gate, not on demand: offline,
// only the files an online visit loaded are in the service worker's cache.
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import { TextField } from "@/app/_shared/ui/text-field";
import { ChatPageHeader } from "./chat-page-header";
import { useChatErrorText } from "./use-chat-error-text";
import { useCommand } from "./use-command";

export function OfflineUnlockScreen() {
  const t = useTranslations("chat.offlineUnlock");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { pending, error, setError, run } = useCommand();
  const [passphrase, setPassphrase] = useState("");
  const [shown, setShown] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const showId = useId();
  const introId = useId();

  // A wrong passphrase: back to the field, its text selected, to type it again.
  useEffect(() => {
    if (!error) return;
    const input = form.current?.querySelector<HTMLInputElement>("input[name=offline-passphrase]");
    input?.focus();
    input?.select();
  }, [error]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (passphrase.length === 0) {
      setError("missing");
      return;
    }
    // Success replaces this screen with the conversations; a wrong passphrase leaves it as it was.
    run(() => commands.unlockOffline(passphrase));
  }

  const fieldError = error === "missing" ? t("missing") : error ? (errorText(error) ?? undefined) : undefined;
  return (
    <>
      <ChatPageHeader title={t("title")} />
      <div className="chat-page-body" data-testid="offline-unlock">
        <form ref={form} onSubmit={onSubmit} noValidate className="chat-card chat-form" aria-describedby={introId} aria-busy={pending}>
          <p id={introId}>{t("intro")}</p>
          <TextField
            label={t("label")}
            error={fieldError}
            type={shown ? "text" : "password"}
            name="offline-passphrase"
            autoComplete="current-password"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            // The one thing to do on this screen.
            autoFocus
            value={passphrase}
            readOnly={pending}
            onChange={(event) => {
              setPassphrase(event.target.value);
              if (error) setError(null);
            }}
            data-testid="offline-passphrase-input"
          />
          <div className="field-checkbox">
            <input id={showId} type="checkbox" checked={shown} onChange={(event) => setShown(event.target.checked)} />
            <label htmlFor={showId}>{t("show")}</label>
          </div>
          <div className="chat-actions">
            <button type="submit" className="button button-primary" aria-disabled={pending}>
              {t("submit")}
            </button>
            {pending ? (
              <p role="status" className="chat-actions muted">
                <span className="chat-spinner chat-spinner-small" aria-hidden="true" />
                {t("opening")}
              </p>
            ) : null}
          </div>
        </form>
        <p className="muted">{t("forgot")}</p>
      </div>
    </>
  );
}
