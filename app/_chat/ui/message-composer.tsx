"use client";
// The message field: grows with its text, Enter sends and Shift+Enter starts a new line. It stays
// enabled and focused while a message goes out (the engine queues it, offline too); it is disabled
// while the engine is not ready, and in a group one can no longer write to, with the reason shown.
//
// Files come through the paperclip (a file picker), dropped on the conversation or pasted as
// images; they wait in a tray above the field, whose text becomes their caption. Too many or too
// large files are refused as they are chosen, with the reason; the engine's refusal when sending
// (the quota, with how much is used) shows here too, the tray kept so nothing is lost.
//
// Replying shows the quoted message in a bar above the field; editing puts one's message's text in
// the field. Both have a cancel button, and Escape cancels. Typing tells the others (typing
// indicators, throttled by the engine), and stopping, sending or leaving tells them it stopped.
//
// Opened from /chat/share (with ?shared=1), it takes what was shared into the installed app: the
// text into the field, the photos into the tray, for the person to look over and send.
import { usePathname, useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ChangeEvent,
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { MAX_ATTACHMENT_SIZE, MAX_ATTACHMENTS_PER_MESSAGE } from "@/app/_chat/engine/types";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { Icon } from "@/app/_shared/ui/icons";
import { addChosenFiles, pastedImages, type ChosenFile } from "./attachment-choice";
import { useFileDrop } from "./attachment-drop";
import { AttachmentIcon } from "./attachment-icons";
import { formatFileSize } from "./attachment-size";
import { AttachmentTray } from "./attachment-tray";
import { useComposerMode, type ComposerMode } from "./composer-mode";
import { useChatErrorText } from "./use-chat-error-text";
import { takeSharedItems } from "../share/shared-items";
import { useTakePaneFocus } from "./pane-focus";

export const MAX_MESSAGE_LENGTH = 4000;
/** The counter appears this many characters before the limit. */
const COUNTER_FROM = 400;
/** Beyond this height (px) the field scrolls instead of growing. */
const MAX_FIELD_HEIGHT = 200;

interface MessageComposerProps {
  conversationId: string;
  /** Why nothing can be sent here (e.g. removed from the group), already in words; null when one can write. */
  closedReason?: string | null;
}

export function MessageComposer({ conversationId, closedReason = null }: MessageComposerProps) {
  const t = useTranslations("chat");
  const tFiles = useTranslations("chat.attachments");
  const format = useFormatter();
  const { status } = useChatSnapshot();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const fieldId = useId();
  const counterId = useId();
  const closedId = useId();
  const form = useRef<HTMLFormElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  useTakePaneFocus(field);
  const picker = useRef<HTMLInputElement>(null);
  const nextKey = useRef(0);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<readonly ChosenFile[]>([]);
  const [sendingFiles, setSendingFiles] = useState(false);
  const [viewOnce, setViewOnce] = useState(false);
  const onePhoto = chosen.length === 1 && chosen[0]!.file.type.startsWith("image/");

  const { mode, setMode } = useComposerMode();
  const editing = mode?.kind === "edit" ? mode.message : null;
  const replyingTo = mode?.kind === "reply" ? mode.message : null;

  // Entering edit mode puts the message's text in the field; replying or editing takes the focus
  // there. (Adjusting state from the previous render rather than in an effect.)
  const [modeShown, setModeShown] = useState<ComposerMode>(null);
  if (modeShown !== mode) {
    setModeShown(mode);
    if (mode?.kind === "edit") setBody(mode.message.body);
    else if (modeShown?.kind === "edit") setBody("");
  }
  useEffect(() => {
    if (mode) field.current?.focus();
  }, [mode]);

  // Leaving the conversation stops "typing…" there.
  useEffect(() => () => void commands.setTyping(conversationId, false).catch(() => undefined), [commands, conversationId]);
  const ready = status.kind === "ready" && closedReason === null;
  const length = body.length;
  const over = length > MAX_MESSAGE_LENGTH;
  const showCounter = length > MAX_MESSAGE_LENGTH - COUNTER_FROM;

  // Browsers without `field-sizing: content` grow the field here (through the CSSOM, which the
  // CSP allows).
  useLayoutEffect(() => {
    const element = field.current;
    if (!element || CSS.supports("field-sizing", "content")) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight + 2, MAX_FIELD_HEIGHT)}px`;
  }, [body]);

  const addFiles = useCallback(
    (files: readonly File[]) => {
      if (!files.length) return;
      const result = addChosenFiles(chosen, files, () => `file-${nextKey.current++}`);
      setChosen(result.chosen);
      const problems = [
        ...(result.tooLarge.length ? [tFiles("tooLarge", { names: format.list(result.tooLarge), max: formatFileSize(MAX_ATTACHMENT_SIZE, format) })] : []),
        ...(result.overCount ? [tFiles("tooMany", { max: MAX_ATTACHMENTS_PER_MESSAGE, count: result.overCount })] : []),
      ];
      setError(problems.length ? problems.join(" ") : null);
    },
    [chosen, format, tFiles],
  );
  const dragging = useFileDrop(form, addFiles, ready && !sendingFiles);

  const router = useRouter();
  const pathname = usePathname();
  const takeShared = useRef(addFiles);
  useEffect(() => {
    takeShared.current = addFiles;
  }, [addFiles]);
  useEffect(() => {
    if (new URLSearchParams(location.search).get("shared") !== "1") return;
    void takeSharedItems().then((items) => {
      if (items?.text) setBody(items.text);
      if (items?.files.length) takeShared.current(items.files);
      field.current?.focus();
      router.replace(pathname);
    });
  }, [router, pathname]);

  function send() {
    const text = body.trim();
    if (!ready || sendingFiles || (!text && !chosen.length)) return;
    if (text.length > MAX_MESSAGE_LENGTH) {
      setError(t("tooLong", { max: MAX_MESSAGE_LENGTH }));
      return;
    }
    setError(null);
    field.current?.focus();
    if (editing) saveEdit(editing.id, text);
    else if (chosen.length) sendWithFiles(text);
    else sendTextOnly(text);
  }

  function saveEdit(messageId: string, text: string) {
    if (!text) return;
    setMode(null);
    setBody("");
    commands.editMessage(messageId, text).catch((failure: unknown) => {
      setError(errorText(chatErrorCode(failure)));
      setBody((current) => (current === "" ? text : current));
    });
  }

  function cancelMode() {
    setMode(null);
    field.current?.focus();
  }

  function sendTextOnly(text: string) {
    const replyTo = replyingTo?.id;
    setBody("");
    setMode(null);
    commands.sendText(conversationId, text, replyTo).catch((failure: unknown) => {
      setError(errorText(chatErrorCode(failure)));
      // Give the words back unless the person has started writing something else.
      setBody((current) => (current === "" ? text : current));
    });
  }

  // The tray and the caption stay until the engine has stored the message (preparing a photo takes
  // a moment), so a refusal loses nothing; the message then shows in the list, uploading.
  function sendWithFiles(caption: string) {
    const files = chosen.map((c) => c.file);
    // A view-once photo carries no caption: the words follow it as a message of their own.
    const once = viewOnce && onePhoto;
    const replyTo = replyingTo?.id;
    setSendingFiles(true);
    commands.sendFiles(conversationId, files, once ? "" : caption, { ...(once && { viewOnce: true }), ...(replyTo && { replyTo }) }).then(
      () => {
        if (once && caption) void commands.sendText(conversationId, caption).catch((failure: unknown) => setError(errorText(chatErrorCode(failure))));
        setViewOnce(false);
        setSendingFiles(false);
        setMode(null);
        setChosen((current) => current.filter((c) => !files.includes(c.file)));
        setBody((current) => (current.trim() === caption ? "" : current));
      },
      async (failure: unknown) => {
        setSendingFiles(false);
        const code = chatErrorCode(failure);
        if (code !== "chat_attachment_quota") return setError(errorText(code));
        const quota = await commands.attachmentQuota().catch(() => null);
        setError(
          quota ? tFiles("quotaUsed", { used: formatFileSize(quota.usedBytes, format), limit: formatFileSize(quota.limitBytes, format) }) : errorText(code),
        );
      },
    );
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Escape" && mode) {
      event.preventDefault();
      cancelMode();
      return;
    }
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const images = pastedImages(event.clipboardData);
    if (!images.length || !ready) return;
    // A pasted picture goes to the tray; pasted text (even with a picture beside it) is left to the field.
    if (!event.clipboardData.types.includes("text/plain")) event.preventDefault();
    addFiles(images);
  }

  function onPicked(event: ChangeEvent<HTMLInputElement>) {
    addFiles(Array.from(event.target.files ?? []));
    // Choosing the same file again must fire another change.
    event.target.value = "";
  }

  const canSend = ready && !sendingFiles;
  return (
    <form
      ref={form}
      className={dragging ? "chat-composer is-dropping" : "chat-composer"}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        send();
      }}
      aria-busy={sendingFiles}
    >
      <FormAlert message={error} />
      {closedReason ? (
        <p id={closedId} className="chat-composer-closed" data-testid="composer-closed">
          {closedReason}
        </p>
      ) : null}
      {dragging ? (
        <p className="chat-drop-hint" aria-hidden="true">
          <AttachmentIcon name="paperclip" />
          {tFiles("dropHint")}
        </p>
      ) : null}
      {mode ? <ModeBar mode={mode} onCancel={cancelMode} /> : null}
      <AttachmentTray
        chosen={chosen}
        onRemove={(key) => setChosen((current) => current.filter((c) => c.key !== key))}
        disabled={sendingFiles}
        viewOnce={onePhoto ? { on: viewOnce, set: setViewOnce } : null}
      />
      {sendingFiles ? (
        <p className="chat-preparing" role="status">
          <span className="chat-spinner chat-spinner-small" aria-hidden="true" />
          {tFiles("preparing", { count: chosen.length })}
        </p>
      ) : null}
      <div className="chat-composer-row">
        <input ref={picker} type="file" multiple hidden tabIndex={-1} onChange={onPicked} disabled={!ready} data-testid="attachment-input" />
        <button
          type="button"
          className="chat-attach"
          aria-label={tFiles("attach")}
          title={tFiles("attach")}
          disabled={!canSend}
          onClick={() => picker.current?.click()}
          data-testid="attach-button"
        >
          <AttachmentIcon name="paperclip" />
        </button>
        <label htmlFor={fieldId} className="sr-only">
          {t("composerLabel")}
        </label>
        <textarea
          ref={field}
          id={fieldId}
          className="chat-input"
          rows={1}
          value={body}
          onChange={(event) => {
            setBody(event.target.value);
            if (error) setError(null);
            if (!editing) commands.setTyping(conversationId, event.target.value.trim() !== "").catch(() => undefined);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          placeholder={chosen.length ? tFiles("captionPlaceholder") : t("composerPlaceholder")}
          aria-invalid={over || undefined}
          aria-describedby={closedReason ? closedId : showCounter ? counterId : undefined}
          disabled={!ready}
          enterKeyHint="send"
          autoComplete="off"
          data-testid="composer"
        />
        <button
          type="submit"
          className="chat-send"
          aria-label={editing ? t("actions.save") : t("send")}
          disabled={!canSend}
          aria-busy={sendingFiles}
          data-testid="send"
        >
          <Icon name="send" />
        </button>
      </div>
      {showCounter ? (
        <p id={counterId} className={over ? "chat-counter is-over" : "chat-counter"}>
          {over ? t("charactersOver", { count: length - MAX_MESSAGE_LENGTH }) : t("charactersLeft", { count: MAX_MESSAGE_LENGTH - length })}
        </p>
      ) : null}
    </form>
  );
}

/** What the composer is replying to or editing, with a way out. */
function ModeBar({ mode, onCancel }: { mode: NonNullable<ComposerMode>; onCancel(): void }) {
  const t = useTranslations("chat");
  const { message } = mode;
  const files = message.attachments.length ? t("previewFiles", { count: message.attachments.length }) : "";
  const snippet = message.body && files ? t("previewBodyWithFiles", { body: message.body, files }) : message.body || files;
  const cancelLabel = mode.kind === "reply" ? t("actions.cancelReply") : t("actions.cancelEdit");
  return (
    <div className="chat-composer-mode" data-testid={mode.kind === "reply" ? "reply-preview" : "edit-preview"}>
      <Icon name={mode.kind === "reply" ? "reply" : "feather"} />
      <div className="chat-composer-mode-text">
        <p className="chat-composer-mode-title">{mode.kind === "reply" ? t("actions.replyingTo", { name: mode.authorName }) : t("actions.editing")}</p>
        {mode.kind === "reply" ? (
          <p className="chat-composer-mode-snippet" dir="auto">
            {snippet}
          </p>
        ) : null}
      </div>
      <button type="button" className="chat-composer-mode-cancel" aria-label={cancelLabel} title={cancelLabel} onClick={onCancel}>
        <Icon name="close" />
      </button>
    </div>
  );
}
