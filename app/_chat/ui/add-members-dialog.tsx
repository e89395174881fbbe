"use client";
// An admin adds people to a group: the picker offers those not in it yet, up to the group's room.
// New members see what is sent from now on, nothing before: the dialog says so.
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import { MAX_GROUP_MEMBERS, type ChatPerson, type GroupView } from "@/app/_chat/engine/types";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { MemberPicker, type Chosen } from "./member-picker";
import { useChatErrorText } from "./use-chat-error-text";
import { useCommand } from "./use-command";

interface AddMembersDialogProps {
  group: GroupView;
  onClose: () => void;
  /** After the engine took the change, with the people added. */
  onAdded: (people: ChatPerson[]) => void;
}

export function AddMembersDialog({ group, onClose, onAdded }: AddMembersDialogProps) {
  const t = useTranslations("chat.group");
  const tNav = useTranslations("nav");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const [chosen, setChosen] = useState<Chosen>(new Map());
  const [missing, setMissing] = useState(false);
  const { pending, error, run } = useCommand();
  const members = new Set(group.members.map((member) => member.person.userId));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (chosen.size === 0) {
      setMissing(true);
      event.currentTarget.querySelector<HTMLElement>("fieldset input")?.focus();
      return;
    }
    const people = [...chosen.values()];
    run(
      () =>
        commands.addGroupMembers(
          group.id,
          people.map((person) => person.userId),
        ),
      () => onAdded(people),
    );
  }

  return (
    <ModalDialog open onClose={onClose} title={t("addTitle")} className="dialog-wide">
      <form onSubmit={onSubmit} noValidate className="chat-form" data-testid="add-members-form">
        <p className="muted">{t("addSeesFromNow")}</p>
        <FormAlert message={errorText(error)} />
        <MemberPicker
          chosen={chosen}
          onChange={(next) => {
            setChosen(next);
            setMissing(false);
          }}
          limit={Math.max(0, MAX_GROUP_MEMBERS - group.members.length)}
          excluded={members}
          error={missing ? t("membersRequired") : null}
          autoFocus
        />
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            {tNav("cancel")}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={pending} aria-busy={pending} data-testid="add-members-submit">
            {pending ? t("adding") : t("addSubmit", { count: chosen.size })}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
