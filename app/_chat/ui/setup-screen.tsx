"use client";
// This browser has no chat keys yet, and the account has a device or a backup (without either, the
// engine makes the keys by itself). The choices, safest first: link to a device that already has
// them, restore a backup, or start fresh (which, when the account has other devices, makes a new
// identity: said plainly, and confirmed in a dialog). The address stays, so a conversation opened
// from a profile ("Message") is what shows once set up, whichever way.
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useRef, useState, type FormEvent } from "react";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { BackupKind } from "@/app/_chat/engine/types";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { handleFromSegment } from "@/app/_chat/handle-segment";
import { ChatPageHeader } from "./chat-page-header";
import { countDigits, linkCodeOrNull, normalizeSixtyDigits } from "./codes";

type Run = (action: () => Promise<void>) => Promise<void>;

interface SetupScreenProps {
  /** Names of the account's devices: starting fresh cuts them off. */
  otherDevices: readonly string[];
  backups: readonly BackupKind[];
  /** The last set-up attempt's failure, already in words. */
  error: string | null;
  run: Run;
}

export function SetupScreen({ otherDevices, backups, error, run }: SetupScreenProps) {
  const t = useTranslations("chat.setup");
  const hasOtherDevices = otherDevices.length > 0;
  const waitingHandle = conversationHandleIn(usePathname());
  return (
    <>
      <ChatPageHeader title={t("title")} />
      <div className="chat-page-body chat-setup" data-testid="chat-setup">
        <p>{t("intro")}</p>
        {waitingHandle ? (
          <p className="chat-setup-then" data-testid="setup-then-conversation">
            {t("thenConversation", { handle: waitingHandle })}
          </p>
        ) : null}
        <FormAlert message={error} />
        {hasOtherDevices ? <LinkWithCode run={run} /> : null}
        {backups.length > 0 ? <RestoreBackup kinds={backups} run={run} /> : null}
        <StartFresh otherDevices={otherDevices} hasBackups={backups.length > 0} run={run} />
      </div>
    </>
  );
}

/** The person whose conversation this address opens (/chat/@handle and its sub-pages), or null. */
function conversationHandleIn(pathname: string | null): string | null {
  const segment = pathname?.match(/^\/chat\/([^/]+)/)?.[1];
  return segment ? handleFromSegment(segment) : null;
}

function LinkWithCode({ run }: { run: Run }) {
  const t = useTranslations("chat.setup");
  const commands = useChatCommands();
  const [code, setCode] = useState("");
  const [invalid, setInvalid] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const normalized = linkCodeOrNull(code);
    if (!normalized) {
      setInvalid(true);
      form.current?.querySelector("input")?.focus();
      return;
    }
    void run(() => commands.linkWithCode(normalized));
  }

  return (
    <section className="chat-card" aria-labelledby="setup-link-title">
      <h2 id="setup-link-title">{t("linkTitle")}</h2>
      <p>{t("linkIntro")}</p>
      <ol className="chat-steps">
        <li>{t("linkStep1")}</li>
        <li>{t("linkStep2")}</li>
        <li>{t("linkStep3")}</li>
      </ol>
      <form ref={form} onSubmit={onSubmit} noValidate className="chat-form">
        <TextField
          label={t("linkCodeLabel")}
          hint={t("linkCodeHint")}
          error={invalid ? t("linkCodeInvalid") : undefined}
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
            setInvalid(false);
          }}
          name="link-code"
          className="chat-code-input"
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          maxLength={32}
          data-testid="link-code-input"
        />
        <div>
          <button type="submit" className="button button-primary">
            {t("linkSubmit")}
          </button>
        </div>
      </form>
    </section>
  );
}

function RestoreBackup({ kinds, run }: { kinds: readonly BackupKind[]; run: Run }) {
  const t = useTranslations("chat.setup");
  const commands = useChatCommands();
  const [kind, setKind] = useState<BackupKind>(kinds.includes("recoveryKey") ? "recoveryKey" : "passphrase");
  const [secret, setSecret] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const choiceName = useId();
  const form = useRef<HTMLFormElement>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (kind === "recoveryKey") {
      const recoveryKey = normalizeSixtyDigits(secret);
      if (!recoveryKey) {
        setInvalid(t("recoveryKeyInvalid", { count: countDigits(secret) }));
        form.current?.querySelector<HTMLInputElement>("input:not([type=radio])")?.focus();
        return;
      }
      void run(() => commands.restoreFromBackup({ recoveryKey }));
    } else {
      if (!secret) {
        setInvalid(t("passphraseMissing"));
        form.current?.querySelector<HTMLInputElement>("input:not([type=radio])")?.focus();
        return;
      }
      void run(() => commands.restoreFromBackup({ passphrase: secret }));
    }
  }

  return (
    <section className="chat-card" aria-labelledby="setup-restore-title">
      <h2 id="setup-restore-title">{t("restoreTitle")}</h2>
      <p>{t("restoreIntro")}</p>
      <form ref={form} onSubmit={onSubmit} noValidate className="chat-form">
        {kinds.length > 1 ? (
          <fieldset className="chat-choice">
            <legend>{t("restoreWith")}</legend>
            {(["recoveryKey", "passphrase"] as const).map((option) => (
              <label key={option} className="chat-choice-option">
                <input
                  type="radio"
                  name={choiceName}
                  value={option}
                  checked={kind === option}
                  onChange={() => {
                    setKind(option);
                    setSecret("");
                    setInvalid(null);
                  }}
                />
                {option === "recoveryKey" ? t("useRecoveryKey") : t("usePassphrase")}
              </label>
            ))}
          </fieldset>
        ) : null}
        {kind === "recoveryKey" ? (
          <TextField
            key="recoveryKey"
            label={t("recoveryKeyLabel")}
            hint={t("recoveryKeyHint")}
            error={invalid ?? undefined}
            value={secret}
            onChange={(event) => {
              setSecret(event.target.value);
              setInvalid(null);
            }}
            name="recovery-key"
            inputMode="numeric"
            className="chat-digits-input"
            autoComplete="off"
            autoCorrect="off"
            spellCheck={false}
            data-testid="recovery-key-input"
          />
        ) : (
          <TextField
            key="passphrase"
            label={t("passphraseLabel")}
            hint={t("passphraseHint")}
            error={invalid ?? undefined}
            type="password"
            value={secret}
            onChange={(event) => {
              setSecret(event.target.value);
              setInvalid(null);
            }}
            name="backup-passphrase"
            autoComplete="off"
            data-testid="passphrase-input"
          />
        )}
        <div>
          <button type="submit" className="button button-primary">
            {t("restoreSubmit")}
          </button>
        </div>
      </form>
    </section>
  );
}

function StartFresh({ otherDevices, hasBackups, run }: { otherDevices: readonly string[]; hasBackups: boolean; run: Run }) {
  const t = useTranslations("chat.setup");
  const hasOtherDevices = otherDevices.length > 0;
  const commands = useChatCommands();
  const [confirming, setConfirming] = useState(false);
  const start = () => void run(() => commands.setUpNewDevice());
  const fresh = !hasOtherDevices && !hasBackups;
  return (
    <section className="chat-card" aria-labelledby="setup-fresh-title">
      <h2 id="setup-fresh-title">{fresh ? t("freshTitle") : t("freshInsteadTitle")}</h2>
      {fresh ? (
        <p>{t("freshIntro")}</p>
      ) : (
        <p className="chat-warning" data-testid="new-identity-warning">
          {hasOtherDevices ? t("newIdentityWarning") : t("newIdentityWarningBackup")}
        </p>
      )}
      <div>
        <button
          type="button"
          className={fresh ? "button button-primary" : "button button-quiet"}
          onClick={() => (hasOtherDevices ? setConfirming(true) : start())}
        >
          {t("freshSubmit")}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t("confirmTitle")}
        confirmLabel={t("confirmSubmit")}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          start();
        }}
      >
        <p>{t("confirmBody")}</p>
        <p>{t("confirmCutOff", { count: otherDevices.length })}</p>
        <ul data-testid="cut-off-devices">
          {otherDevices.map((name, i) => (
            <li key={i}>{name}</li>
          ))}
        </ul>
        <p>{t("confirmAlternative")}</p>
      </ConfirmDialog>
    </section>
  );
}
