"use client";
// "New group": a name, an optional description and the first members; this person becomes its
// admin. Creating opens the group. Enter in a field submits, Escape closes (the dialog's own).
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import { MAX_GROUP_MEMBERS } from "@/app/_chat/engine/types";
import { groupHref } from "@/app/_chat/handle-segment";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { GroupFields } from "./group-fields";
import { MemberPicker, type Chosen } from "./member-picker";
import { useChatErrorText } from "./use-chat-error-text";
import { useCommand } from "./use-command";

export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations("chat.group");
  const tNav = useTranslations("nav");
  const router = useRouter();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const form = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [chosen, setChosen] = useState<Chosen>(new Map());
  const [nameError, setNameError] = useState<string | null>(null);
  const [membersError, setMembersError] = useState<string | null>(null);
  const { pending, error, run } = useCommand();

  // A group made after the dialog was closed is in the list; only an open dialog moves on to it.
  const open = useRef(true);
  useEffect(() => {
    open.current = true;
    return () => {
      open.current = false;
    };
  }, []);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const trimmed = name.trim();
    const missingName = trimmed === "";
    const missingMembers = chosen.size === 0;
    setNameError(missingName ? t("nameRequired") : null);
    setMembersError(missingMembers ? t("membersRequired") : null);
    if (missingName) return focus("input[name=group-name]");
    if (missingMembers) return focus("fieldset input");
    run(
      () => commands.createGroup({ name: trimmed, description: description.trim(), memberIds: [...chosen.keys()] }),
      (groupId) => open.current && router.push(groupHref(groupId)),
    );
  }

  function focus(selector: string) {
    form.current?.querySelector<HTMLElement>(selector)?.focus();
  }

  return (
    <ModalDialog open onClose={onClose} title={t("createTitle")} className="dialog-wide">
      <form ref={form} onSubmit={onSubmit} noValidate className="chat-form" data-testid="new-group-form">
        <FormAlert message={errorText(error)} />
        <GroupFields
          name={name}
          description={description}
          onNameChange={(value) => {
            setName(value);
            setNameError(null);
          }}
          onDescriptionChange={setDescription}
          nameError={nameError}
          autoFocusName
        />
        <MemberPicker
          chosen={chosen}
          onChange={(next) => {
            setChosen(next);
            setMembersError(null);
          }}
          limit={MAX_GROUP_MEMBERS - 1}
          error={membersError}
        />
        <p className="muted">{t("createPrivacy")}</p>
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            {tNav("cancel")}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={pending} aria-busy={pending} data-testid="create-group-submit">
            {pending ? t("creating") : t("createSubmit")}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
