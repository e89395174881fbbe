"use client";
// Writing a story: up to 500 characters, a photo, or both. The photo uploads as soon as it is
// picked (the same endpoint as post images) and must be described before sharing: a story is
// gone in a day, so there is no later chance to add the description.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { Icon } from "@/app/_shared/ui/icons";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import { ACCEPTED_IMAGE_TYPES, uploadMedia, UploadError, type UploadedMedia } from "../media/upload-media";
import { useUploadErrorText } from "../media/use-upload-error-text";

export const STORY_MAX_LENGTH = 500;
const MAX_ALT_TEXT = 1500;

interface Photo {
  localUrl: string;
  status: "uploading" | "done" | "error";
  progress: number;
  media: UploadedMedia | null;
  error: string | null;
}

export function StoryComposer({ onClose }: { onClose: () => void }) {
  const t = useTranslations("stories");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const describeError = useDescribeError();
  const id = useId();
  const photo = usePhotoUpload();
  const [text, setText] = useState("");
  const [altText, setAltText] = useState("");
  const [localErrors, setLocalErrors] = useState<{ text?: string; alt?: string }>({});
  const fileRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  const create = useMutation(
    trpc.social.stories.create.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.social.stories.reels.queryKey() });
        toast({ message: t("shared") });
        onClose();
      },
    }),
  );
  const serverErrors = describeError(create.error);
  useEffect(() => {
    if (create.error) alertRef.current?.focus();
  }, [create.error]);

  const textError = localErrors.text ?? serverErrors.fields.text;
  const altError = localErrors.alt ?? serverErrors.fields.media;
  const uploading = photo.current?.status === "uploading";
  const remaining = STORY_MAX_LENGTH - text.length;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // A photo still uploading, or one that failed (its message says to remove it), holds the story.
    if (uploading || photo.current?.status === "error" || create.isPending) return;
    const trimmed = text.trim();
    const media = photo.current?.status === "done" ? photo.current.media : null;
    const errors: { text?: string; alt?: string } = {};
    if (!trimmed && !media) errors.text = t("emptyError");
    if (media && !altText.trim()) errors.alt = t("altRequired");
    setLocalErrors(errors);
    const invalid = errors.text ? `${id}-text` : errors.alt ? `${id}-alt` : null;
    if (invalid) {
      document.getElementById(invalid)?.focus();
      return;
    }
    create.mutate({ text: trimmed || null, media: media ? { id: media.id, altText: altText.trim() } : null });
  }

  function onPick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) photo.start(file);
  }

  return (
    <ModalDialog open onClose={onClose} title={t("composerTitle")} className="dialog-story-composer">
      <form className="story-form" aria-label={t("composerTitle")} onSubmit={onSubmit} noValidate>
        <p className="muted">{t("composerHint")}</p>
        <div className="field">
          <label htmlFor={`${id}-text`}>{t("textLabel")}</label>
          <textarea
            id={`${id}-text`}
            rows={4}
            maxLength={STORY_MAX_LENGTH}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-invalid={textError ? true : undefined}
            aria-describedby={textError ? `${id}-text-error ${id}-count` : `${id}-count`}
            data-autofocus=""
          />
          {textError ? (
            <p id={`${id}-text-error`} className="field-error">
              {textError}
            </p>
          ) : null}
          <p id={`${id}-count`} className="field-hint">
            {t("charactersLeft", { count: remaining })}
          </p>
        </div>

        {photo.current ? (
          <div className="story-photo">
            <div className="composer-image-preview">
              {/* eslint-disable-next-line @next/next/no-img-element -- a local preview, then the uploader's private preview */}
              <img src={photo.current.media?.previewUrl ?? photo.current.localUrl} alt="" />
              <button type="button" className="icon-button composer-image-remove" aria-label={t("removePhoto")} onClick={photo.remove}>
                <Icon name="close" />
              </button>
              {uploading ? <progress className="composer-image-progress" max={1} value={photo.current.progress} aria-label={t("uploading")} /> : null}
            </div>
            {photo.current.status === "error" ? (
              <p className="field-error" role="alert">
                {t("uploadFailed", { reason: photo.current.error ?? "" })}
              </p>
            ) : (
              <div className="field">
                <label htmlFor={`${id}-alt`}>{t("altLabel")}</label>
                <textarea
                  id={`${id}-alt`}
                  rows={3}
                  maxLength={MAX_ALT_TEXT}
                  value={altText}
                  onChange={(event) => setAltText(event.target.value)}
                  required
                  aria-invalid={altError ? true : undefined}
                  aria-describedby={altError ? `${id}-alt-error ${id}-alt-hint` : `${id}-alt-hint`}
                />
                {altError ? (
                  <p id={`${id}-alt-error`} className="field-error">
                    {altError}
                  </p>
                ) : null}
                <p id={`${id}-alt-hint`} className="field-hint">
                  {t("altHint")}
                </p>
              </div>
            )}
          </div>
        ) : (
          <div>
            <button type="button" className="button button-quiet story-add-photo" onClick={() => fileRef.current?.click()}>
              <Icon name="image" />
              {t("addPhoto")}
            </button>
          </div>
        )}
        <input ref={fileRef} type="file" accept={ACCEPTED_IMAGE_TYPES.join(",")} hidden onChange={onPick} />

        <FormAlert ref={alertRef} message={serverErrors.form} />
        {uploading ? <p className="field-hint">{t("waitForUpload")}</p> : null}
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            {t("cancel")}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={uploading || create.isPending} aria-busy={create.isPending}>
            {create.isPending ? t("sharing") : t("share")}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

/** The one photo of a story: uploading with progress, then stored; aborted and released on removal. */
function usePhotoUpload() {
  const errorText = useUploadErrorText();
  const [current, setCurrent] = useState<Photo | null>(null);
  // Beside the state, changed only in handlers: unmounting must reach the running upload.
  const live = useRef(new Map<"photo", { url: string; controller: AbortController }>());

  useEffect(() => {
    const entries = live.current;
    return () => release(entries);
  }, []);

  function start(file: File) {
    release(live.current);
    const controller = new AbortController();
    const localUrl = URL.createObjectURL(file);
    live.current.set("photo", { url: localUrl, controller });
    setCurrent({ localUrl, status: "uploading", progress: 0, media: null, error: null });
    const patch = (change: Partial<Photo>) => {
      if (live.current.get("photo")?.controller === controller) setCurrent((photo) => (photo ? { ...photo, ...change } : photo));
    };
    uploadMedia(file, { signal: controller.signal, onProgress: (progress) => patch({ progress }) })
      .then((media) => patch({ status: "done", progress: 1, media }))
      .catch((error: unknown) => {
        if (error instanceof UploadError && error.code === "aborted") return;
        patch({ status: "error", error: errorText(error) });
      });
  }

  function remove() {
    release(live.current);
    setCurrent(null);
  }

  return { current, start, remove };
}

function release(entries: Map<"photo", { url: string; controller: AbortController }>): void {
  for (const { url, controller } of entries.values()) {
    controller.abort();
    URL.revokeObjectURL(url);
  }
  entries.clear();
}
