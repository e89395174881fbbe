"use client";
// Editing is open for the first hour (the server enforces it; the menu offers it only then).
// Only text and content warning change; the earlier version stays readable in the history.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { TextField } from "@/app/_shared/ui/text-field";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { PostView } from "@/app/_social/wire/views";
import { countGraphemes, POST_MAX_GRAPHEMES } from "@/app/_shared/isomorphic/post-text";
import { usePostCache } from "./use-post-cache";

export function EditPostDialog({ post, open, onClose }: { post: PostView; open: boolean; onClose: () => void }) {
  const t = useTranslations("social");
  return (
    <ModalDialog open={open} onClose={onClose} title={t("editPostTitle")} className="dialog-composer">
      <EditPostForm post={post} onDone={onClose} />
    </ModalDialog>
  );
}

function EditPostForm({ post, onDone }: { post: PostView; onDone: () => void }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cache = usePostCache();
  const toast = useToast();
  const describeError = useDescribeError();
  const [text, setText] = useState(post.text);
  const [warning, setWarning] = useState(post.contentWarning ?? "");
  const id = useId();
  const alertRef = useRef<HTMLDivElement>(null);
  const edit = useMutation(
    trpc.social.posts.edit.mutationOptions({
      onSuccess: (_result, input) => {
        const contentWarning = input.contentWarning?.trim() || null;
        void cache.update(post.id, (p) => ({ ...p, text: input.text.normalize("NFC").trim(), contentWarning, editedAt: new Date().toISOString() }));
        void queryClient.invalidateQueries({ queryKey: trpc.social.posts.edits.queryKey({ id: post.id }) });
        toast({ message: t("postEdited") });
        onDone();
      },
    }),
  );
  const errors = describeError(edit.error);
  useEffect(() => {
    if (edit.error) alertRef.current?.focus();
  }, [edit.error]);

  const remaining = POST_MAX_GRAPHEMES - countGraphemes(text.trim());
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    edit.mutate({ id: post.id, text, contentWarning: warning });
  }

  return (
    <form className="dialog-body stack" onSubmit={onSubmit} noValidate aria-label={t("editPostTitle")}>
      <FormAlert ref={alertRef} message={errors.form} />
      <div className="field">
        <label htmlFor={`${id}-text`}>{t("postTextLabel")}</label>
        <textarea
          id={`${id}-text`}
          className="composer-text composer-text-boxed"
          rows={4}
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-describedby={`${id}-counter${errors.fields.text ? ` ${id}-error` : ""}`}
          aria-invalid={remaining < 0 || errors.fields.text ? true : undefined}
          data-autofocus=""
        />
        {errors.fields.text ? (
          <p id={`${id}-error`} className="field-error">
            {errors.fields.text}
          </p>
        ) : null}
        <p id={`${id}-counter`} className={remaining < 0 ? "field-error" : "field-hint"}>
          {remaining >= 0 ? t("charactersLeft", { count: remaining }) : t("charactersOver", { count: -remaining })}
        </p>
      </div>
      <TextField
        label={t("contentWarningLabel")}
        hint={t("contentWarningHint")}
        value={warning}
        onChange={(event) => setWarning(event.target.value)}
        maxLength={200}
        error={errors.fields.contentWarning}
      />
      <div className="dialog-actions">
        <button type="submit" className="button button-primary" disabled={edit.isPending || remaining < 0 || !text.trim()} aria-busy={edit.isPending}>
          {edit.isPending ? t("saving") : t("saveEdit")}
        </button>
      </div>
    </form>
  );
}
