"use client";
// Writing a post, a reply or a quote. The counter counts grapheme clusters with the same function
// the server uses; images upload as soon as they are picked and each one asks for a description.
// Posting an image without one needs an explicit "Post without description".
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { Icon } from "@/app/_shared/ui/icons";
import { TextField } from "@/app/_shared/ui/text-field";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { PostView } from "@/app/_social/wire/views";
import { ACCEPTED_IMAGE_TYPES } from "../media/upload-media";
import { Avatar } from "@/app/_shared/ui/avatar";
import { profileHref } from "../people/profile-href";
import { usePostCache } from "../post/use-post-cache";
import { QuotedPost } from "../post/quoted-post";
import { useViewer } from "../shell/viewer-context";
import { countGraphemes, POST_MAX_GRAPHEMES } from "@/app/_shared/isomorphic/post-text";
import { MAX_IMAGES_PER_POST, useMediaUploads } from "./use-media-uploads";

export type ComposerMode = { kind: "new" } | { kind: "reply"; post: PostView } | { kind: "quote"; post: PostView };

/** The counter turns to a warning this many characters before the limit. */
const NEAR_LIMIT = 20;
const MAX_CONTENT_WARNING = 200;
const MAX_ALT_TEXT = 1500;

interface ComposerProps {
  mode: ComposerMode;
  autoFocus?: boolean;
  /** The home page's composer, which the "n" shortcut focuses instead of opening the dialog. */
  primary?: boolean;
  /** Inside a dialog, which shows the post being answered or quoted in full. */
  inDialog?: boolean;
  onPosted?: (post: PostView) => void;
}

export function Composer({ mode, autoFocus, primary, inDialog, onPosted }: ComposerProps) {
  const t = useTranslations("social");
  const viewer = useViewer();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cache = usePostCache();
  const toast = useToast();
  const describeError = useDescribeError();
  const uploads = useMediaUploads();
  const [text, setText] = useState("");
  const [warningOpen, setWarningOpen] = useState(false);
  const [warning, setWarning] = useState("");
  const [altPrompt, setAltPrompt] = useState(false);
  const [pickError, setPickError] = useState<string | null>(null);
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  /** The draft last sent and its name for the server, kept until it is posted. */
  const sentDraft = useRef<{ key: string; clientRequestId: string } | null>(null);

  const create = useMutation(
    trpc.social.posts.create.mutationOptions({
      onSuccess: (post) => {
        cache.prependToHome(post);
        if (post.replyTo) {
          void cache.update(post.replyTo.id, (p) => ({ ...p, counts: { ...p.counts, replies: p.counts.replies + 1 } }));
          cache.appendReply(post.replyTo.id, post);
        }
        if (post.quote && post.quote !== "unavailable") {
          const quotedId = post.quote.id;
          void cache.update(quotedId, (p) => ({ ...p, counts: { ...p.counts, quotes: p.counts.quotes + 1 } }));
        }
        void queryClient.invalidateQueries({ queryKey: trpc.social.timeline.profile.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.social.people.profile.queryKey({ handle: viewer.handle }) });
        setText("");
        setWarning("");
        setWarningOpen(false);
        setAltPrompt(false);
        uploads.clear();
        toast({ message: post.replyTo ? t("replySent") : t("postSent"), link: { href: `/post/${post.id}`, label: t("viewPost") } });
        onPosted?.(post);
      },
    }),
  );
  const errors = describeError(create.error);

  useEffect(() => {
    if (create.error) alertRef.current?.focus();
  }, [create.error]);

  // The server renders the composer and its code arrives a moment later: text typed in between is
  // in the field but not yet in state, which would leave Post disabled. Adopt it.
  useEffect(() => {
    const typed = textareaRef.current?.value;
    if (typed) setText((current) => current || typed);
  }, []);

  const length = countGraphemes(text.trim());
  const remaining = POST_MAX_GRAPHEMES - length;
  const level = remaining < 0 ? "over" : remaining <= NEAR_LIMIT ? "near" : "ok";
  const { images } = uploads;
  const uploading = images.some((image) => image.status === "uploading");
  const failed = images.some((image) => image.status === "error");
  const ready = images.filter((image) => image.status === "done");
  const missingAlt = ready.filter((image) => !image.altText.trim());
  const hasContent = text.trim().length > 0 || ready.length > 0 || mode.kind === "quote";
  const canPost = hasContent && level !== "over" && !uploading && !failed && !create.isPending;

  function submit(confirmedWithoutAlt = false) {
    if (!canPost) return;
    if (missingAlt.length > 0 && !confirmedWithoutAlt) {
      setAltPrompt(true);
      return;
    }
    setAltPrompt(false);
    const draft = {
      text,
      contentWarning: warningOpen ? warning : null,
      replyToId: mode.kind === "reply" ? mode.post.id : null,
      quoteOfId: mode.kind === "quote" ? mode.post.id : null,
      media: ready.map((image) => ({ id: image.media!.id, altText: image.altText })),
    };
    // Sending the same draft again (after an error whose answer was lost) names it the same, so the
    // server returns the post it may already have stored instead of storing it twice.
    const key = JSON.stringify(draft);
    if (sentDraft.current?.key !== key) sentDraft.current = { key, clientRequestId: crypto.randomUUID() };
    create.mutate({ ...draft, clientRequestId: sentDraft.current.clientRequestId }, { onSuccess: () => (sentDraft.current = null) });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      submit();
    }
  }

  function onPick(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []);
    event.target.value = "";
    const leftOut = uploads.add(files);
    setPickError(leftOut > 0 ? t("tooManyImages", { max: MAX_IMAGES_PER_POST }) : null);
    setAltPrompt(false);
  }

  function focusFirstMissingAlt() {
    const first = missingAlt[0];
    if (first) document.getElementById(`${id}-alt-${first.key}`)?.focus();
    setAltPrompt(false);
  }

  const label = mode.kind === "reply" ? t("replyLabel", { handle: mode.post.author.handle }) : mode.kind === "quote" ? t("quoteLabel") : t("composeLabel");
  const counterId = `${id}-counter`;
  const textErrorId = `${id}-text-error`;
  const textError = errors.fields.text ?? errors.fields.media;

  return (
    <form className={inDialog ? "composer composer-in-dialog" : "composer"} aria-label={label} onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate>
      {mode.kind === "reply" && inDialog ? (
        <div className="composer-parent">
          <QuotedPost quote={mode.post} interactive={false} />
        </div>
      ) : null}
      <div className="composer-row">
        <Avatar person={viewer} size="large" />
        <div className="composer-body">
          {mode.kind === "reply" ? (
            <p className="composer-context">
              {t.rich("replyingTo", {
                handle: () => <Link href={profileHref(mode.post.author.handle)}>@{mode.post.author.handle}</Link>,
              })}
            </p>
          ) : null}
          <label htmlFor={`${id}-text`} className="sr-only">
            {label}
          </label>
          <textarea
            ref={textareaRef}
            id={`${id}-text`}
            name="text"
            className="composer-text"
            rows={mode.kind === "reply" && !inDialog ? 2 : 3}
            placeholder={mode.kind === "reply" ? t("replyPlaceholder") : t("composePlaceholder")}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-describedby={textError ? `${textErrorId} ${counterId}` : counterId}
            aria-invalid={level === "over" || Boolean(textError) ? true : undefined}
            data-autofocus={autoFocus ? "" : undefined}
            data-composer-textarea={primary ? "primary" : ""}
          />
          {textError ? (
            <p id={textErrorId} className="field-error">
              {textError}
            </p>
          ) : null}

          {warningOpen ? (
            <TextField
              label={t("contentWarningLabel")}
              hint={t("contentWarningHint")}
              value={warning}
              onChange={(event) => setWarning(event.target.value)}
              maxLength={MAX_CONTENT_WARNING}
              error={errors.fields.contentWarning}
            />
          ) : null}

          {images.length > 0 ? (
            <ul className="composer-images" aria-label={t("attachedImages")}>
              {images.map((image, index) => {
                const altId = `${id}-alt-${image.key}`;
                return (
                  <li key={image.key} className="composer-image">
                    <div className="composer-image-preview">
                      {/* eslint-disable-next-line @next/next/no-img-element -- private, session-bound media that next/image's optimiser could not fetch */}
                      <img src={image.media?.previewUrl ?? image.localUrl} alt="" />
                      <button
                        type="button"
                        className="icon-button composer-image-remove"
                        aria-label={t("removeImage", { number: index + 1 })}
                        onClick={() => uploads.remove(image.key)}
                      >
                        <Icon name="close" />
                      </button>
                      {image.status === "uploading" ? (
                        <progress className="composer-image-progress" max={1} value={image.progress} aria-label={t("uploadingImage", { number: index + 1 })} />
                      ) : null}
                    </div>
                    <div className="composer-image-fields">
                      {image.status === "error" ? (
                        <p className="field-error" role="alert">
                          {t("uploadFailed", { number: index + 1, reason: image.error ?? "" })}
                        </p>
                      ) : (
                        <div className="field">
                          <label htmlFor={altId}>{t("altTextLabel", { number: index + 1 })}</label>
                          <textarea
                            id={altId}
                            rows={2}
                            maxLength={MAX_ALT_TEXT}
                            value={image.altText}
                            onChange={(event) => uploads.setAltText(image.key, event.target.value)}
                            aria-describedby={`${altId}-hint`}
                          />
                          <p id={`${altId}-hint`} className="field-hint">
                            {t("altTextHint")}
                          </p>
                        </div>
                      )}
                    </div>
                  </li>
                );
              })}
            </ul>
          ) : null}
          {pickError ? (
            <p className="field-error" role="alert">
              {pickError}
            </p>
          ) : null}

          {mode.kind === "quote" ? <QuotedPost quote={mode.post} interactive={false} /> : null}

          {altPrompt ? (
            <div className="alt-prompt" role="alert">
              <p>{t("altPrompt", { count: missingAlt.length })}</p>
              <div className="alt-prompt-actions">
                <button type="button" className="button button-primary button-small" onClick={focusFirstMissingAlt}>
                  {t("addDescriptions")}
                </button>
                <button type="button" className="button button-quiet button-small" onClick={() => submit(true)}>
                  {t("postWithoutDescription")}
                </button>
              </div>
            </div>
          ) : null}

          <FormAlert ref={alertRef} message={errors.form} />

          <div className="composer-toolbar">
            <div className="composer-tools">
              <button
                type="button"
                className="icon-button icon-button-accent"
                aria-label={t("addImages", { max: MAX_IMAGES_PER_POST })}
                onClick={() => fileRef.current?.click()}
                disabled={images.length >= MAX_IMAGES_PER_POST}
              >
                <Icon name="image" />
              </button>
              <input ref={fileRef} type="file" accept={ACCEPTED_IMAGE_TYPES.join(",")} multiple hidden onChange={onPick} />
              <button
                type="button"
                className="icon-button icon-button-accent"
                aria-label={t("contentWarningToggle")}
                aria-pressed={warningOpen}
                onClick={() => setWarningOpen((open) => !open)}
              >
                <Icon name="warning" />
              </button>
            </div>
            <span id={counterId} className={`composer-counter composer-counter-${level}`}>
              <span aria-hidden="true">{remaining}</span>
              <span className="sr-only">{remaining >= 0 ? t("charactersLeft", { count: remaining }) : t("charactersOver", { count: -remaining })}</span>
            </span>
            <span role="status" className="sr-only">
              {level === "over" ? t("overLimit", { max: POST_MAX_GRAPHEMES }) : level === "near" ? t("nearLimit", { count: NEAR_LIMIT }) : ""}
            </span>
            <button type="submit" className="button button-primary" disabled={!canPost} aria-busy={create.isPending}>
              {create.isPending ? t("posting") : mode.kind === "reply" ? t("replyButton") : t("postButton")}
            </button>
          </div>
          {uploading ? <p className="field-hint composer-uploading">{t("waitForUploads")}</p> : null}
        </div>
      </div>
    </form>
  );
}
