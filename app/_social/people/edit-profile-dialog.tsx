"use client";
// Editing one's own profile: name, bio, picture, header image and whether the account is
// protected. Images upload when picked (the same endpoint as post images) and are attached on
// save; the server deletes the files they replace.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { Icon } from "@/app/_shared/ui/icons";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { TextField } from "@/app/_shared/ui/text-field";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { ProfileData } from "./profile-data";
import { ACCEPTED_IMAGE_TYPES, uploadMedia } from "../media/upload-media";
import { useUploadErrorText } from "../media/use-upload-error-text";

const MAX_BIO = 300;
const MAX_DISPLAY_NAME = 50;

/** An image slot: unchanged, replaced by an upload (running or done), or removed. */
type ImageChoice =
  | { kind: "unchanged" }
  | { kind: "removed" }
  | { kind: "uploading"; progress: number }
  | { kind: "uploaded"; id: string; previewUrl: string }
  | { kind: "failed"; message: string };

export function EditProfileDialog({ profile, open, onClose }: { profile: ProfileData; open: boolean; onClose: () => void }) {
  const t = useTranslations("social");
  return (
    <ModalDialog open={open} onClose={onClose} title={t("editProfileTitle")} className="dialog-wide">
      <EditProfileForm profile={profile} onDone={onClose} />
    </ModalDialog>
  );
}

function EditProfileForm({ profile, onDone }: { profile: ProfileData; onDone: () => void }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const describeError = useDescribeError();
  const id = useId();
  const alertRef = useRef<HTMLDivElement>(null);
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [bio, setBio] = useState(profile.bio);
  const [isProtected, setIsProtected] = useState(profile.isProtected);
  const [avatar, setAvatar] = useState<ImageChoice>({ kind: "unchanged" });
  const [header, setHeader] = useState<ImageChoice>({ kind: "unchanged" });

  const save = useMutation(
    trpc.social.people.updateProfile.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.social.people.profile.queryKey({ handle: profile.handle }) });
        // Name and picture also appear in posts and in the navigation (rendered on the server).
        void queryClient.invalidateQueries({ queryKey: trpc.social.timeline.pathKey() });
        router.refresh();
        toast({ message: t("profileSaved") });
        onDone();
      },
    }),
  );
  const errors = describeError(save.error);
  useEffect(() => {
    if (save.error) alertRef.current?.focus();
  }, [save.error]);

  const uploading = avatar.kind === "uploading" || header.kind === "uploading";

  function mediaChange(choice: ImageChoice): string | null | undefined {
    if (choice.kind === "uploaded") return choice.id;
    if (choice.kind === "removed") return null;
    return undefined;
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (uploading) return;
    save.mutate({ displayName, bio, isProtected, avatarMediaId: mediaChange(avatar), headerMediaId: mediaChange(header) });
  }

  const bioRemaining = MAX_BIO - bio.length;

  return (
    <form className="dialog-body stack" onSubmit={onSubmit} noValidate aria-label={t("editProfileTitle")}>
      <FormAlert ref={alertRef} message={errors.form} />
      <ImagePicker
        label={t("headerImage")}
        shape="header"
        currentUrl={profile.headerUrl}
        choice={header}
        onChange={setHeader}
        error={errors.fields.headerMediaId}
      />
      <ImagePicker
        label={t("profilePicture")}
        shape="avatar"
        currentUrl={profile.avatarUrl}
        choice={avatar}
        onChange={setAvatar}
        error={errors.fields.avatarMediaId}
      />
      <TextField
        label={t("displayName")}
        value={displayName}
        onChange={(event) => setDisplayName(event.target.value)}
        maxLength={MAX_DISPLAY_NAME}
        required
        autoComplete="nickname"
        error={errors.fields.displayName}
      />
      <div className="field">
        <label htmlFor={`${id}-bio`}>{t("bio")}</label>
        <textarea
          id={`${id}-bio`}
          rows={3}
          value={bio}
          onChange={(event) => setBio(event.target.value)}
          aria-describedby={`${id}-bio-counter${errors.fields.bio ? ` ${id}-bio-error` : ""}`}
          aria-invalid={bioRemaining < 0 || errors.fields.bio ? true : undefined}
        />
        {errors.fields.bio ? (
          <p id={`${id}-bio-error`} className="field-error">
            {errors.fields.bio}
          </p>
        ) : null}
        <p id={`${id}-bio-counter`} className={bioRemaining < 0 ? "field-error" : bioRemaining <= 20 ? "field-hint field-hint-warn" : "field-hint"}>
          {bioRemaining >= 0 ? t("charactersLeft", { count: bioRemaining }) : t("charactersOver", { count: -bioRemaining })}
        </p>
      </div>
      <div className="field field-checkbox">
        <input
          id={`${id}-protected`}
          type="checkbox"
          checked={isProtected}
          onChange={(event) => setIsProtected(event.target.checked)}
          aria-describedby={`${id}-protected-hint`}
        />
        <label htmlFor={`${id}-protected`}>{t("protectAccount")}</label>
        <p id={`${id}-protected-hint`} className="field-hint">
          {t("protectAccountHint")}
        </p>
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={onDone}>
          {t("cancel")}
        </button>
        <button type="submit" className="button button-primary" disabled={save.isPending || uploading || bioRemaining < 0} aria-busy={save.isPending}>
          {save.isPending ? t("saving") : t("saveProfile")}
        </button>
      </div>
    </form>
  );
}

interface ImagePickerProps {
  label: string;
  shape: "avatar" | "header";
  currentUrl: string | null;
  choice: ImageChoice;
  onChange: (choice: ImageChoice) => void;
  error?: string;
}

function ImagePicker({ label, shape, currentUrl, choice, onChange, error }: ImagePickerProps) {
  const t = useTranslations("social");
  const errorText = useUploadErrorText();
  const fileRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const shownUrl = choice.kind === "uploaded" ? choice.previewUrl : choice.kind === "removed" ? null : currentUrl;
  const message = choice.kind === "failed" ? choice.message : error;

  function onPick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    onChange({ kind: "uploading", progress: 0 });
    uploadMedia(file, { onProgress: (progress) => onChange({ kind: "uploading", progress }) })
      .then((media) => onChange({ kind: "uploaded", id: media.id, previewUrl: media.previewUrl }))
      .catch((failure: unknown) => onChange({ kind: "failed", message: errorText(failure) }));
  }

  return (
    <fieldset className={`image-picker image-picker-${shape}`} aria-describedby={message ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      <div className="image-picker-row">
        <div className="image-picker-preview">
          {shownUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- private, session-bound media that next/image's optimiser could not fetch
            <img src={shownUrl} alt="" />
          ) : (
            <Icon name="image" />
          )}
          {choice.kind === "uploading" ? <progress max={1} value={choice.progress} aria-label={t("uploadingNamed", { name: label })} /> : null}
        </div>
        <div className="image-picker-actions">
          <button type="button" className="button button-quiet button-small" onClick={() => fileRef.current?.click()} disabled={choice.kind === "uploading"}>
            {shownUrl ? t("changeImage") : t("chooseImage")}
          </button>
          {shownUrl ? (
            <button type="button" className="button button-quiet button-small" onClick={() => onChange({ kind: "removed" })}>
              {t("removeImageShort")}
            </button>
          ) : null}
        </div>
        <input ref={fileRef} type="file" accept={ACCEPTED_IMAGE_TYPES.join(",")} hidden onChange={onPick} />
      </div>
      {message ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {message}
        </p>
      ) : null}
    </fieldset>
  );
}
