"use client";
// The message field: grows with its text, Enter sends and Shift+Enter starts a new line. It stays
// enabled and focused while a message goes out (the engine queues it, offline too); it is disabled
// while the engine is not ready, and in a group one can no longer write to, with the reason shown.
import { useTranslations } from "next-intl";
import { useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { Icon } from "@/app/_shared/ui/icons";
import { useChatErrorText } from "./use-chat-error-text";

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
  const { status } = useChatSnapshot();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const fieldId = useId();
  const counterId = useId();
  const closedId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
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

  function send() {
    const text = body.trim();
    if (!text || !ready) return;
    if (text.length > MAX_MESSAGE_LENGTH) {
      setError(t("tooLong", { max: MAX_MESSAGE_LENGTH }));
      return;
    }
    setBody("");
    setError(null);
    field.current?.focus();
    commands.sendText(conversationId, text).catch((failure: unknown) => {
      setError(errorText(chatErrorCode(failure)));
      // Give the words back unless the person has started writing something else.
      setBody((current) => (current === "" ? text : current));
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  return (
    <form
      className="chat-composer"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        send();
      }}
    >
      <FormAlert message={error} />
      {closedReason ? (
        <p id={closedId} className="chat-composer-closed" data-testid="composer-closed">
          {closedReason}
        </p>
      ) : null}
      <div className="chat-composer-row">
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
          }}
          onKeyDown={onKeyDown}
          placeholder={t("composerPlaceholder")}
          aria-invalid={over || undefined}
          aria-describedby={closedReason ? closedId : showCounter ? counterId : undefined}
          disabled={!ready}
          enterKeyHint="send"
          autoComplete="off"
          data-testid="composer"
        />
        <button type="submit" className="chat-send" aria-label={t("send")} disabled={!ready} data-testid="send">
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
