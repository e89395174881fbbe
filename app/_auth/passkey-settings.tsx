"use client";
// The person's passkeys: add (the server's options, the browser's prompt, the server's check), name,
// rename, and remove behind the password.
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import { useDescribeError, type HearthClientError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { TextField } from "@/app/_shared/ui/text-field";
import { describePasskeyFailure } from "./passkey-ceremony";
import { ProofForm } from "./proof-form";

type Editing = { id: string; mode: "rename" | "remove" } | null;

export function PasskeySettings() {
  const t = useTranslations("security");
  const tErrors = useTranslations("errors");
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const describeError = useDescribeError();
  const { data: passkeys } = useSuspenseQuery(trpc.auth.passkeys.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.passkeys.list.queryKey() });
  const [status, setStatus] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const [addFieldError, setAddFieldError] = useState<string | undefined>(undefined);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);

  const options = useMutation(trpc.auth.passkeys.registrationOptions.mutationOptions());
  const register = useMutation(trpc.auth.passkeys.register.mutationOptions());
  const rename = useMutation(
    trpc.auth.passkeys.rename.mutationOptions({
      onSuccess: () => {
        setEditing(null);
        setStatus(t("passkeyRenamed"));
        return refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.auth.passkeys.remove.mutationOptions({
      onSuccess: () => {
        setEditing(null);
        setStatus(t("passkeyRemoved"));
        return refresh();
      },
    }),
  );

  async function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim() || t("passkeyDefaultName");
    setAddError(null);
    setAddFieldError(undefined);
    setStatus(null);
    setAdding(true);
    try {
      const optionsJSON = await options.mutateAsync();
      let response;
      try {
        // JSON already; tRPC's JSON typing cannot express the PRF extension's byte inputs, which Hearth never sets.
        response = await startRegistration({ optionsJSON: optionsJSON as PublicKeyCredentialCreationOptionsJSON });
      } catch (error) {
        const failure = describePasskeyFailure(error);
        setAddError(failure === "cancelled" ? t("passkeyCancelled") : failure === "unsupported" ? t("passkeysUnsupported") : tErrors("PASSKEY_INVALID"));
        return;
      }
      await register.mutateAsync({ response, name });
      (event.target as HTMLFormElement).reset();
      setStatus(t("passkeyAdded", { name }));
      await refresh();
    } catch (error) {
      const described = describeError(error as HearthClientError);
      setAddError(described.form);
      setAddFieldError(described.fields.name);
    } finally {
      setAdding(false);
    }
  }

  const editError = describeError(editing?.mode === "rename" ? rename.error : editing?.mode === "remove" ? remove.error : null);

  return (
    <div className="stack">
      <p role="status" className="status-line">
        {status}
      </p>
      {passkeys.length === 0 ? (
        <p className="muted">{t("passkeysEmpty")}</p>
      ) : (
        <ul className="factor-list" aria-label={t("passkeysTitle")}>
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="factor-item">
              <div>
                <p className="session-device">
                  {passkey.name}
                  {passkey.synced ? <span className="badge">{t("passkeySynced")}</span> : null}
                </p>
                <p className="muted">
                  {t("passkeyCreated", { time: format.dateTime(new Date(passkey.createdAt), { dateStyle: "medium" }) })} ·{" "}
                  {passkey.lastUsedAt ? t("passkeyLastUsed", { time: format.relativeTime(new Date(passkey.lastUsedAt), now) }) : t("passkeyNeverUsed")}
                </p>
              </div>
              {editing?.id === passkey.id ? null : (
                <div className="factor-actions">
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={t("renameLabel", { name: passkey.name })}
                    onClick={() => {
                      rename.reset();
                      setEditing({ id: passkey.id, mode: "rename" });
                    }}
                  >
                    {t("rename")}
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={t("removeLabel", { name: passkey.name })}
                    onClick={() => {
                      remove.reset();
                      setEditing({ id: passkey.id, mode: "remove" });
                    }}
                  >
                    {t("remove")}
                  </button>
                </div>
              )}
              {editing?.id === passkey.id && editing.mode === "rename" ? (
                <form
                  className="factor-inline-form"
                  noValidate
                  onSubmit={(event) => {
                    event.preventDefault();
                    rename.mutate({ id: passkey.id, name: String(new FormData(event.currentTarget).get("name") ?? "") });
                  }}
                >
                  <FormAlert message={editError.form} />
                  {/* The form opens on "Rename" to ask for exactly this field. */}
                  <TextField label={t("passkeyName")} name="name" defaultValue={passkey.name} maxLength={60} autoFocus required error={editError.fields.name} />
                  <div className="factor-actions">
                    <button type="submit" className="button button-primary" disabled={rename.isPending} aria-busy={rename.isPending}>
                      {t("save")}
                    </button>
                    <button type="button" className="button button-quiet" onClick={() => setEditing(null)}>
                      {t("cancel")}
                    </button>
                  </div>
                </form>
              ) : null}
              {editing?.id === passkey.id && editing.mode === "remove" ? (
                <ProofForm
                  intro={t("removeConfirm", { name: passkey.name })}
                  submitLabel={t("remove")}
                  allowCode
                  pending={remove.isPending}
                  errors={editError}
                  onSubmit={(proof) => remove.mutate({ id: passkey.id, proof })}
                  onCancel={() => setEditing(null)}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <form className="factor-inline-form" onSubmit={onAdd} noValidate aria-label={t("addPasskey")}>
        <FormAlert message={addError} />
        <TextField label={t("passkeyName")} name="name" maxLength={60} hint={t("passkeyNameHint")} error={addFieldError} autoComplete="off" />
        <div className="factor-actions">
          <button type="submit" className="button button-primary" disabled={adding} aria-busy={adding}>
            {adding ? t("addingPasskey") : t("addPasskey")}
          </button>
        </div>
      </form>
    </div>
  );
}
