"use client";
// A group's name (required) and description (optional), each with its length against the limit;
// used when creating a group and when an admin edits it. Lengths are UTF-16 code units, as the
// engine and the browser's maxLength count them.
import { useTranslations } from "next-intl";
import { useId, type TextareaHTMLAttributes } from "react";
import { MAX_GROUP_DESCRIPTION_LENGTH, MAX_GROUP_NAME_LENGTH } from "@/app/_chat/engine/types";
import { TextField } from "@/app/_shared/ui/text-field";

interface GroupFieldsProps {
  name: string;
  description: string;
  onNameChange: (name: string) => void;
  onDescriptionChange: (description: string) => void;
  /** Already in words. */
  nameError: string | null;
  /** Give the name field the dialog's first focus. */
  autoFocusName?: boolean;
}

export function GroupFields({ name, description, onNameChange, onDescriptionChange, nameError, autoFocusName }: GroupFieldsProps) {
  const t = useTranslations("chat.group");
  return (
    <>
      <TextField
        label={t("nameLabel")}
        hint={t("lengthHint", { length: name.length, max: MAX_GROUP_NAME_LENGTH })}
        error={nameError ?? undefined}
        value={name}
        onChange={(event) => onNameChange(event.target.value)}
        name="group-name"
        required
        aria-required="true"
        maxLength={MAX_GROUP_NAME_LENGTH}
        autoComplete="off"
        data-autofocus={autoFocusName ? "" : undefined}
        data-testid="group-name-input"
      />
      <TextAreaField
        label={t("descriptionLabel")}
        hint={t("lengthHint", { length: description.length, max: MAX_GROUP_DESCRIPTION_LENGTH })}
        value={description}
        onChange={(event) => onDescriptionChange(event.target.value)}
        name="group-description"
        rows={2}
        maxLength={MAX_GROUP_DESCRIPTION_LENGTH}
        data-testid="group-description-input"
      />
    </>
  );
}

/** TextField's twin for several lines. */
function TextAreaField({ label, hint, ...textarea }: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> & { label: string; hint: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-describedby={`${id}-hint`} {...textarea} />
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
    </div>
  );
}
