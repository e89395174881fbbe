"use client";
// /chat/backup: the encrypted backup of keys and message history. The recovery key is made here
// and shown once; an optional passphrase is a second way to open the same backup; and the backup
// may carry copies of files, the newest first, up to a size the person chooses (none by default).
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useState, type ChangeEvent, type FormEvent } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { MAX_BACKUP_ATTACHMENT_BYTES, type BackupView } from "@/app/_chat/engine/types";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
import { formatFileSize } from "./attachment-size";
import { ChatPageHeader } from "./chat-page-header";
import { GroupedCode } from "./grouped-code";
import { useChatErrorText } from "./use-chat-error-text";
import { useCommand } from "./use-command";

export const MIN_PASSPHRASE_LENGTH = 12;
const MiB = 1024 * 1024;
/** The limits offered for files in the backup, in bytes (0: none). */
const FILE_LIMIT_CHOICES = [0, 1, 2, 4, 8, 16].map((mb) => mb * MiB).filter((bytes) => bytes <= MAX_BACKUP_ATTACHMENT_BYTES);

export function BackupScreen() {
  const t = useTranslations("chat.backup");
  const tChat = useTranslations("chat");
  const { backup } = useChatSnapshot();
  return (
    <>
      <ChatPageHeader title={t("title")} back={{ href: "/chat", label: tChat("backToConversations") }} />
      <div className="chat-page-body" data-testid="backup-screen" data-enabled={backup.enabled}>
        <p>{t("intro")}</p>
        {backup.pendingRecoveryKey ? (
          <RecoveryKeyPanel recoveryKey={backup.pendingRecoveryKey} />
        ) : backup.enabled ? (
          <>
            <BackupStatus backup={backup} />
            <BackupFilesSection />
            <PassphraseSection hasPassphrase={backup.hasPassphrase} />
          </>
        ) : (
          <TurnOn />
        )}
      </div>
    </>
  );
}

function TurnOn() {
  const t = useTranslations("chat.backup");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { pending, error, run } = useCommand();
  return (
    <section className="chat-card" aria-labelledby="backup-off-title">
      <h2 id="backup-off-title">{t("offTitle")}</h2>
      <p>{t("offBody")}</p>
      <p className="chat-warning">{t("offWarning")}</p>
      <FormAlert message={errorText(error)} />
      <div>
        <button type="button" className="button button-primary" onClick={() => run(() => commands.enableBackup())} aria-disabled={pending} aria-busy={pending}>
          {pending ? t("turningOn") : t("turnOn")}
        </button>
      </div>
    </section>
  );
}

function RecoveryKeyPanel({ recoveryKey }: { recoveryKey: string }) {
  const t = useTranslations("chat.backup");
  const commands = useChatCommands();
  const checkboxId = useId();
  const [saved, setSaved] = useState(false);
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const grouped = recoveryKey.replace(/\D/g, "").replace(/(\d{5})(?=\d)/g, "$1 ");

  function copy() {
    navigator.clipboard.writeText(grouped).then(
      () => setCopyState("copied"),
      () => setCopyState("failed"),
    );
  }

  return (
    <section className="chat-card chat-recovery" aria-labelledby="recovery-title">
      <h2 id="recovery-title">{t("keyTitle")}</h2>
      <p>{t("keyIntro")}</p>
      <GroupedCode value={recoveryKey} size={5} className="chat-digits chat-recovery-digits" testId="recovery-key" />
      <div className="chat-actions">
        <button type="button" className="button button-quiet" onClick={copy}>
          {t("copy")}
        </button>
        <span role="status" className="muted">
          {copyState === "copied" ? t("copied") : copyState === "failed" ? t("copyFailed") : ""}
        </span>
      </div>
      <p className="chat-warning" data-testid="recovery-warning">
        {t("keyWarning")}
      </p>
      <div className="field-checkbox">
        <input id={checkboxId} type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} />
        <label htmlFor={checkboxId}>{t("savedCheckbox")}</label>
      </div>
      <div>
        <button type="button" className="button button-primary" disabled={!saved} onClick={() => commands.confirmRecoveryKeySaved()}>
          {t("done")}
        </button>
      </div>
    </section>
  );
}

function BackupStatus({ backup }: { backup: BackupView }) {
  const t = useTranslations("chat.backup");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { pending, error, run } = useCommand();
  const busy = pending || backup.running;
  return (
    <section className="chat-card" aria-labelledby="backup-status-title">
      <h2 id="backup-status-title">{t("onTitle")}</h2>
      <p role="status" aria-busy={backup.running} data-testid="backup-status" data-running={backup.running}>
        {backup.running ? (
          <span className="chat-busy-line">
            <span className="chat-spinner chat-spinner-small" aria-hidden="true" />
            {t("running")}
          </span>
        ) : backup.lastBackupAt ? (
          t.rich("lastBackup", { time: () => <RelativeTime date={new Date(backup.lastBackupAt!)} /> })
        ) : (
          t("neverBackedUp")
        )}
      </p>
      <FormAlert message={errorText(error ?? backup.error)} />
      <p className="muted">{t("keyReminder")}</p>
      <div>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => !backup.running && run(() => commands.backUpNow())}
          aria-disabled={busy}
          aria-busy={busy}
        >
          {t("backUpNow")}
        </button>
      </div>
    </section>
  );
}

/** How many bytes of files the backup carries: saved as soon as it is chosen (the engine then backs up again). */
function BackupFilesSection() {
  const t = useTranslations("chat.backup");
  const tChat = useTranslations("chat");
  const format = useFormatter();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const selectId = useId();
  const hintId = useId();
  const [limit, setLimit] = useState<number | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    commands.backupAttachmentLimit().then(
      (bytes) => live && setLimit(bytes),
      () => live && setLoadFailed(true),
    );
    return () => {
      live = false;
    };
  }, [commands]);

  function onChange(event: ChangeEvent<HTMLSelectElement>) {
    const bytes = Number(event.target.value);
    const before = limit;
    setLimit(bytes);
    setSaved(null);
    setError(null);
    setSaving(true);
    commands.setBackupAttachmentLimit(bytes).then(
      () => {
        setSaving(false);
        setSaved(bytes);
      },
      (failure: unknown) => {
        setSaving(false);
        setLimit(before);
        setError(chatErrorCode(failure));
      },
    );
  }

  // A limit set elsewhere (another version, or the engine's clamping) is shown as it is.
  const choices = limit !== null && !FILE_LIMIT_CHOICES.includes(limit) ? [...FILE_LIMIT_CHOICES, limit].sort((a, b) => a - b) : FILE_LIMIT_CHOICES;
  const size = (bytes: number) => formatFileSize(bytes, format);
  return (
    <section className="chat-card" aria-labelledby="backup-files-title">
      <h2 id="backup-files-title">{t("filesTitle")}</h2>
      <p>{t("filesIntro")}</p>
      <FormAlert message={loadFailed ? t("filesLoadFailed") : errorText(error)} />
      <div className="field">
        <label htmlFor={selectId}>{t("filesLabel")}</label>
        <select
          id={selectId}
          value={limit ?? ""}
          onChange={onChange}
          disabled={limit === null}
          aria-busy={saving}
          aria-describedby={hintId}
          data-testid="backup-files-limit"
        >
          {limit === null ? <option value="">{tChat("loading")}</option> : null}
          {choices.map((bytes) => (
            <option key={bytes} value={bytes}>
              {bytes === 0 ? t("filesNone") : t("filesUpTo", { size: size(bytes) })}
            </option>
          ))}
        </select>
        <p id={hintId} className="field-hint">
          {t("filesHint", { max: size(MAX_BACKUP_ATTACHMENT_BYTES) })}
        </p>
      </div>
      <p role="status" className="muted">
        {saved === null ? "" : t("filesSaved", { none: String(saved === 0), size: size(saved) })}
      </p>
    </section>
  );
}

function PassphraseSection({ hasPassphrase }: { hasPassphrase: boolean }) {
  const t = useTranslations("chat.backup");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { pending, error, run } = useCommand();
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [repeat, setRepeat] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ passphrase?: string; repeat?: string }>({});
  const [saved, setSaved] = useState(false);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const errors: { passphrase?: string; repeat?: string } = {};
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) errors.passphrase = t("passphraseTooShort", { min: MIN_PASSPHRASE_LENGTH });
    else if (repeat !== passphrase) errors.repeat = t("passphraseMismatch");
    setFieldErrors(errors);
    setSaved(false);
    if (errors.passphrase || errors.repeat) return;
    run(
      () => commands.setPassphrase(passphrase),
      () => {
        setPassphrase("");
        setRepeat("");
        setSaved(true);
      },
    );
  }

  return (
    <section className="chat-card" aria-labelledby="passphrase-title">
      <h2 id="passphrase-title">{t("passphraseTitle")}</h2>
      <p>{t("passphraseIntro")}</p>
      <FormAlert message={errorText(error)} />
      {saved ? (
        <p role="status" className="muted">
          {t("passphraseSaved")}
        </p>
      ) : null}
      {hasPassphrase ? (
        <>
          <p data-testid="passphrase-state">{t("passphraseIsSet")}</p>
          <div>
            <button type="button" className="button button-danger" onClick={() => setConfirmingRemove(true)}>
              {t("removePassphrase")}
            </button>
          </div>
          <ConfirmDialog
            open={confirmingRemove}
            title={t("removePassphraseTitle")}
            confirmLabel={t("removePassphrase")}
            onCancel={() => setConfirmingRemove(false)}
            onConfirm={() => {
              setConfirmingRemove(false);
              run(() => commands.removePassphrase());
            }}
          >
            <p>{t("removePassphraseBody")}</p>
          </ConfirmDialog>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate className="chat-form">
          <TextField
            label={t("newPassphrase")}
            hint={t("passphraseHint", { min: MIN_PASSPHRASE_LENGTH })}
            error={fieldErrors.passphrase}
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
            data-testid="new-passphrase"
          />
          <TextField
            label={t("repeatPassphrase")}
            error={fieldErrors.repeat}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(event) => setRepeat(event.target.value)}
            data-testid="repeat-passphrase"
          />
          <div>
            <button type="submit" className="button button-primary" aria-disabled={pending} aria-busy={pending}>
              {t("savePassphrase")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
