"use client";
// /chat/group/<id>/details: the group's name, description and members. Admins edit the name and
// description, add and remove members and make others admins; everyone may leave. Each change is
// a signed control message the members' devices check, so a refusal (say, admin rights lost
// meanwhile) comes back as an error next to what was tried; a success is said in the status line.
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatPerson, GroupMemberView, GroupView } from "@/app/_chat/engine/types";
import { groupHref } from "@/app/_chat/handle-segment";
import { Avatar } from "@/app/_shared/ui/avatar";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { AddMembersDialog } from "./add-members-dialog";
import { ChatPageHeader } from "./chat-page-header";
import { GroupAvatar } from "./group-avatar";
import { GroupFields } from "./group-fields";
import { GroupNotFound } from "./group-not-found";
import { MembershipBanner } from "./membership-banner";
import { useChatErrorText } from "./use-chat-error-text";
import { useCommand } from "./use-command";
import { useGroup } from "./use-group";

type Announce = (message: string) => void;

export function GroupDetailsScreen({ groupId }: { groupId: string }) {
  const t = useTranslations("chat.group");
  const summary = useGroup(groupId);
  const [status, setStatus] = useState("");
  if (!summary) return <GroupNotFound />;
  const { group } = summary;
  const canManage = group.amAdmin && group.membership === "member";
  return (
    <>
      <ChatPageHeader title={t("detailsTitle")} subtitle={group.name} back={{ href: groupHref(group.id), label: t("backToGroup", { name: group.name }) }} />
      <MembershipBanner membership={group.membership} />
      {/* Outside the page body's flex gaps, so that it takes no room while empty; never hidden, so it is announced. */}
      <p role="status" className="chat-status-line" data-testid="group-status">
        {status}
      </p>
      <div className="chat-page-body" data-testid="group-details" data-group-id={group.id} data-admin={group.amAdmin} data-membership={group.membership}>
        <AboutSection group={group} canEdit={canManage} announce={setStatus} />
        <MembersSection group={group} canManage={canManage} announce={setStatus} />
        {group.membership === "member" ? <LeaveSection group={group} /> : null}
      </div>
    </>
  );
}

function AboutSection({ group, canEdit, announce }: { group: GroupView; canEdit: boolean; announce: Announce }) {
  const t = useTranslations("chat.group");
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const close = () => {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  };
  return (
    <section className="chat-card" aria-labelledby="group-about-title">
      <h2 id="group-about-title">{t("aboutTitle")}</h2>
      {editing ? (
        <EditForm group={group} onDone={close} announce={announce} />
      ) : (
        <>
          <div className="chat-group-about">
            <GroupAvatar group={group} />
            <div>
              <p className="chat-group-name" data-testid="group-name">
                {group.name}
              </p>
              <p className={group.description ? "chat-group-description" : "chat-group-description muted"} data-testid="group-description">
                {group.description || t("noDescription")}
              </p>
            </div>
          </div>
          {canEdit ? (
            <div>
              <button
                ref={editButton}
                type="button"
                className="button button-quiet button-small"
                onClick={() => {
                  announce("");
                  setEditing(true);
                }}
                data-testid="edit-group"
              >
                {t("edit")}
              </button>
            </div>
          ) : (
            <p className="muted">{t("adminsOnly")}</p>
          )}
        </>
      )}
    </section>
  );
}

function EditForm({ group, onDone, announce }: { group: GroupView; onDone: () => void; announce: Announce }) {
  const t = useTranslations("chat.group");
  const tNav = useTranslations("nav");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  /** A new picture file, null to remove the current one, undefined to keep it. */
  const [picture, setPicture] = useState<File | null | undefined>(undefined);
  const [nameError, setNameError] = useState<string | null>(null);
  const { pending, error, run } = useCommand();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLElement>("input[name=group-name]")?.focus(), []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const details = { name: name.trim(), description: description.trim() };
    if (!details.name) {
      setNameError(t("nameRequired"));
      event.currentTarget.querySelector<HTMLElement>("input[name=group-name]")?.focus();
      return;
    }
    if (details.name === group.name && details.description === group.description && picture === undefined) return onDone();
    run(
      () => commands.editGroup(group.id, { ...details, ...(picture !== undefined ? { picture } : {}) }),
      () => {
        announce(t("saved"));
        onDone();
      },
    );
  }

  return (
    <form
      onSubmit={onSubmit}
      onKeyDown={(event) => event.key === "Escape" && !pending && onDone()}
      noValidate
      className="chat-form"
      data-testid="edit-group-form"
      ref={form}
    >
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
      />
      <GroupPictureField group={group} picture={picture} onChange={setPicture} />
      <div className="chat-actions">
        <button type="submit" className="button button-primary" aria-disabled={pending} aria-busy={pending} data-testid="save-group">
          {pending ? t("saving") : t("save")}
        </button>
        <button type="button" className="button button-quiet" onClick={onDone}>
          {tNav("cancel")}
        </button>
      </div>
    </form>
  );
}

/** Choose a new picture (previewed here; made small and metadata-free by the engine on save) or remove it. */
function GroupPictureField({ group, picture, onChange }: { group: GroupView; picture: File | null | undefined; onChange: (picture: File | null) => void }) {
  const t = useTranslations("chat.group");
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const previewUrl = useMemo(() => (picture ? URL.createObjectURL(picture) : null), [picture]);
  useEffect(() => () => void (previewUrl && URL.revokeObjectURL(previewUrl)), [previewUrl]);
  const shown = picture === undefined ? group.pictureUrl : previewUrl;
  return (
    <fieldset className="chat-group-picture-field">
      <legend>{t("pictureLabel")}</legend>
      <GroupAvatar group={{ ...group, pictureUrl: shown }} />
      <input
        ref={input}
        type="file"
        accept="image/*"
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) onChange(file);
          event.target.value = "";
        }}
        data-testid="group-picture-input"
      />
      <button type="button" className="button button-quiet button-small" aria-describedby={hintId} onClick={() => input.current?.click()}>
        {t("pictureChoose")}
      </button>
      {shown ? (
        <button type="button" className="button button-quiet button-small" onClick={() => onChange(null)} data-testid="group-picture-remove">
          {t("pictureRemove")}
        </button>
      ) : null}
      <p id={hintId} className="field-hint">
        {t("pictureHint")}
      </p>
    </fieldset>
  );
}

type Busy = { userId: string; action: "remove" | "admin" } | null;

function MembersSection({ group, canManage, announce }: { group: GroupView; canManage: boolean; announce: Announce }) {
  const t = useTranslations("chat.group");
  const format = useFormatter();
  const commands = useChatCommands();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<ChatPerson | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [failed, setFailed] = useState<{ userId: string; code: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  function act(person: ChatPerson, action: "remove" | "admin") {
    if (busy) return;
    setBusy({ userId: person.userId, action });
    setFailed(null);
    announce("");
    const command = action === "remove" ? commands.removeGroupMember(group.id, person.userId) : commands.makeGroupAdmin(group.id, person.userId);
    command.then(
      () => {
        setBusy(null);
        setRemoving(null);
        announce(action === "remove" ? t("removedMember", { name: person.displayName }) : t("madeAdmin", { name: person.displayName }));
        // The removed member's row (and its buttons) is gone: keep focus in the list.
        if (action === "remove") requestAnimationFrame(() => heading.current?.focus());
      },
      (error: unknown) => {
        setBusy(null);
        setRemoving(null);
        setFailed({ userId: person.userId, code: chatErrorCode(error) });
      },
    );
  }

  return (
    <section className="chat-section" aria-labelledby="group-members-title">
      <div className="chat-section-header">
        <h2 id="group-members-title" ref={heading} tabIndex={-1}>
          {t("memberCount", { count: group.members.length })}
        </h2>
        {canManage ? (
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => {
              announce("");
              setAdding(true);
            }}
            data-testid="add-members-button"
          >
            {t("addMembers")}
          </button>
        ) : null}
      </div>
      <ul className="chat-members" data-testid="group-members">
        {group.members.map((member) => (
          <MemberRow
            key={member.person.userId}
            member={member}
            canManage={canManage}
            busy={busy?.userId === member.person.userId ? busy.action : null}
            error={failed?.userId === member.person.userId ? failed.code : null}
            onRemove={() => setRemoving(member.person)}
            onMakeAdmin={() => act(member.person, "admin")}
          />
        ))}
      </ul>
      {adding ? (
        <AddMembersDialog
          group={group}
          onClose={() => setAdding(false)}
          onAdded={(people) => {
            setAdding(false);
            announce(
              t("added", {
                names: format.list(
                  people.map((person) => person.displayName),
                  { type: "conjunction" },
                ),
              }),
            );
          }}
        />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title={t("removeTitle", { name: removing?.displayName ?? "" })}
        confirmLabel={t("removeConfirm")}
        pending={busy?.action === "remove"}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && act(removing, "remove")}
      >
        <p>{t("removeBody", { name: removing?.displayName ?? "" })}</p>
      </ConfirmDialog>
    </section>
  );
}

interface MemberRowProps {
  member: GroupMemberView;
  canManage: boolean;
  busy: "remove" | "admin" | null;
  error: string | null;
  onRemove: () => void;
  onMakeAdmin: () => void;
}

function MemberRow({ member, canManage, busy, error, onRemove, onMakeAdmin }: MemberRowProps) {
  const t = useTranslations("chat.group");
  const errorText = useChatErrorText();
  const { person, admin, me } = member;
  return (
    <li className="chat-member" data-testid="group-member" data-handle={person.handle} data-admin={admin} data-me={me}>
      <Avatar person={person} size="medium" />
      <span className="chat-person-names">
        <span className="chat-member-name">
          <span className="chat-name">{person.displayName}</span>
          {me ? <span className="chat-tag">{t("youTag")}</span> : null}
          {admin ? <span className="chat-tag chat-tag-admin">{t("adminTag")}</span> : null}
        </span>
        <span className="chat-handle">@{person.handle}</span>
        {error ? (
          <span className="field-error" role="alert">
            {errorText(error)}
          </span>
        ) : null}
      </span>
      {canManage && !me ? (
        <span className="chat-member-actions">
          {admin ? null : (
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={onMakeAdmin}
              aria-disabled={busy !== null}
              aria-busy={busy === "admin"}
              data-testid="make-admin"
            >
              {busy === "admin" ? t("makingAdmin") : t("makeAdmin")}
              <span className="sr-only"> {person.displayName}</span>
            </button>
          )}
          <button type="button" className="button button-danger button-small" onClick={onRemove} aria-disabled={busy !== null} data-testid="remove-member">
            {t("remove")}
            <span className="sr-only"> {person.displayName}</span>
          </button>
        </span>
      ) : null}
    </li>
  );
}

function LeaveSection({ group }: { group: GroupView }) {
  const t = useTranslations("chat.group");
  const router = useRouter();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const [confirming, setConfirming] = useState(false);
  const { pending, error, run } = useCommand();
  const onlyAdmin = group.amAdmin && group.members.filter((member) => member.admin).length === 1 && group.members.length > 1;

  return (
    <section className="chat-section" aria-labelledby="group-leave-title">
      <h2 id="group-leave-title">{t("leaveTitle")}</h2>
      <p className="muted">{t("leaveIntro")}</p>
      <FormAlert message={errorText(error)} />
      <div>
        <button
          type="button"
          className="button button-danger"
          onClick={() => !pending && setConfirming(true)}
          aria-disabled={pending}
          aria-busy={pending}
          data-testid="leave-group"
        >
          {pending ? t("leaving") : t("leave")}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t("leaveConfirmTitle", { name: group.name })}
        confirmLabel={t("leaveConfirm")}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          run(
            () => commands.leaveGroup(group.id),
            () => router.push(groupHref(group.id)),
          );
        }}
      >
        <p>{t("leaveBody")}</p>
        {onlyAdmin ? <p>{t("leaveOnlyAdmin")}</p> : null}
      </ConfirmDialog>
    </section>
  );
}
