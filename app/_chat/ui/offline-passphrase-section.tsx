"use client";
// Messages settings → "Open without a connection": the offline passphrase that locks this device's
// copy of the storage secret (set it twice, change it, turn it off), and the one paragraph that
// says what it protects. The passphrase never leaves this device (docs/e2ee-protocol.md,
// "Opening offline").
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useChatCommands, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { MIN_OFFLINE_PASSPHRASE_LENGTH } from "@/app/_chat/engine/types";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { passphraseStrength } from "./passphrase-strength";
import { useChatErrorText } from "./use-chat-error-text";
import { useCommand } from "./use-command";

export function OfflinePassphraseSection() {
  const t = useTranslations("chat.chatSettings");
  const { offlinePassphrase: isSet, status } = useChatSnapshot();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { pending, error, run } = useCommand();
  const [editing, setEditing] = useState(false);
  const [confirmingOff, setConfirmingOff] = useState(false);
  const [done, setDone] = useState<"saved" | "off" | null>(null);
  const ready = status.kind === "ready";

  return (
    <section className="chat-card" aria-labelledby="offline-passphrase-title" data-testid="offline-passphrase">
      <h2 id="offline-passphrase-title">{t("offlineTitle")}</h2>
      <p>{t("offlineExplain")}</p>
      <p className="chat-warning" data-testid="offline-passphrase-state">
        {isSet ? t("offlineIsOn") : t("offlineIsOff")}
      </p>
      <FormAlert message={errorText(error)} />
      {done ? (
        <p role="status" className="muted">
          {done === "saved" ? t("offlineSaved") : t("offlineTurnedOff")}
        </p>
      ) : null}
      {!isSet || editing ? (
        <PassphraseForm
          changing={isSet}
          pending={pending}
          disabled={!ready}
          onCancel={isSet ? () => setEditing(false) : undefined}
          onSubmit={(passphrase, saved) => {
            setDone(null);
            run(
              () => commands.setOfflinePassphrase(passphrase),
              () => {
                saved();
                setEditing(false);
                setDone("saved");
              },
            );
          }}
        />
      ) : (
        <div className="chat-actions">
          <button
            type="button"
            className="button"
            disabled={!ready}
            onClick={() => {
              setDone(null);
              setEditing(true);
            }}
            data-testid="offline-passphrase-change"
          >
            {t("offlineChange")}
          </button>
          <button type="button" className="button button-danger" disabled={!ready} onClick={() => setConfirmingOff(true)} data-testid="offline-passphrase-off">
            {t("offlineTurnOff")}
          </button>
        </div>
      )}
      <ConfirmDialog
        open={confirmingOff}
        title={t("offlineTurnOffTitle")}
        confirmLabel={t("offlineTurnOff")}
        onCancel={() => setConfirmingOff(false)}
        onConfirm={() => {
          setConfirmingOff(false);
          setDone(null);
          run(
            () => commands.removeOfflinePassphrase(),
            () => setDone("off"),
          );
        }}
      >
        <p>{t("offlineTurnOffBody")}</p>
      </ConfirmDialog>
    </section>
  );
}

function PassphraseForm(props: {
  changing: boolean;
  pending: boolean;
  disabled: boolean;
  onCancel?: () => void;
  /** `saved` clears the fields once the engine has kept the copy. */
  onSubmit(passphrase: string, saved: () => void): void;
}) {
  const t = useTranslations("chat.chatSettings");
  const [passphrase, setPassphrase] = useState("");
  const [repeat, setRepeat] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ passphrase?: string; repeat?: string }>({});

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (props.pending) return;
    const errors: { passphrase?: string; repeat?: string } = {};
    if (passphrase.normalize("NFKC").length < MIN_OFFLINE_PASSPHRASE_LENGTH) errors.passphrase = t("offlineTooShort", { min: MIN_OFFLINE_PASSPHRASE_LENGTH });
    else if (repeat !== passphrase) errors.repeat = t("offlineMismatch");
    setFieldErrors(errors);
    if (errors.passphrase || errors.repeat) return;
    props.onSubmit(passphrase, () => {
      setPassphrase("");
      setRepeat("");
    });
  }

  const strength = passphrase.length > 0 ? passphraseStrength(passphrase) : null;
  return (
    <form onSubmit={onSubmit} noValidate className="chat-form" aria-busy={props.pending}>
      <TextField
        label={props.changing ? t("offlineNewChange") : t("offlineNew")}
        hint={t("offlineHint", { min: MIN_OFFLINE_PASSPHRASE_LENGTH })}
        error={fieldErrors.passphrase}
        type="password"
        autoComplete="new-password"
        value={passphrase}
        disabled={props.disabled}
        onChange={(event) => setPassphrase(event.target.value)}
        data-testid="offline-passphrase-new"
      />
      {strength ? (
        <p className="muted" aria-live="polite" data-testid="offline-passphrase-strength" data-strength={strength}>
          {t("offlineStrength", { level: strength })}
        </p>
      ) : null}
      <TextField
        label={t("offlineRepeat")}
        error={fieldErrors.repeat}
        type="password"
        autoComplete="new-password"
        value={repeat}
        disabled={props.disabled}
        onChange={(event) => setRepeat(event.target.value)}
        data-testid="offline-passphrase-repeat"
      />
      <div className="chat-actions">
        <button type="submit" className="button button-primary" aria-disabled={props.pending || props.disabled} data-testid="offline-passphrase-save">
          {props.changing ? t("offlineSaveChange") : t("offlineSet")}
        </button>
        {props.onCancel ? (
          <button type="button" className="button" onClick={props.onCancel}>
            {t("offlineCancel")}
          </button>
        ) : null}
        {props.pending ? (
          <p role="status" className="chat-actions muted">
            <span className="chat-spinner chat-spinner-small" aria-hidden="true" />
            {t("offlineSaving")}
          </p>
        ) : null}
      </div>
    </form>
  );
}
