"use client";
// A view-once photo in a message: a placeholder, never a thumbnail. The reader opens it once in a
// viewer with no save button; the engine has deleted it from their devices by the time it shows,
// and the object URL is revoked when the viewer closes. The sender sees whether it was opened.
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatMessage } from "@/app/_chat/engine/types";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { Icon } from "@/app/_shared/ui/icons";
import { useChatErrorText } from "./use-chat-error-text";

export function ViewOncePhoto({ message }: { message: ChatMessage & { viewOnce: { opened: boolean } } }) {
  const t = useTranslations("chat.viewOnce");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => (url ? () => URL.revokeObjectURL(url) : undefined), [url]);

  // The viewer stays open after the engine has marked the photo opened (it was deleted before it showed).
  const viewer = url ? (
    <ModalDialog open onClose={() => setUrl(null)} title={t("viewerTitle")} className="dialog-media">
      <figure className="lightbox" data-testid="view-once-viewer">
        {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL, which next/image could not fetch */}
        <img className="lightbox-image" src={url} alt={t("viewerTitle")} />
        <figcaption className="muted">{t("viewerHint")}</figcaption>
      </figure>
    </ModalDialog>
  ) : null;
  if (message.outgoing || message.viewOnce.opened) {
    const label = message.outgoing ? (message.viewOnce.opened ? t("openedByThem") : t("sent")) : t("opened");
    return (
      <>
        <p className="chat-view-once is-done" data-testid="view-once" data-opened={message.viewOnce.opened}>
          <Icon name="image" />
          <span>{label}</span>
        </p>
        {viewer}
      </>
    );
  }
  return (
    <>
      <button
        ref={opener}
        type="button"
        className="chat-view-once"
        data-testid="view-once"
        data-opened="false"
        disabled={opening}
        onClick={() => {
          setOpening(true);
          setError(null);
          commands
            .openViewOnce(message.id)
            .then((photo) => setUrl(URL.createObjectURL(photo)))
            .catch((failure: unknown) => setError(chatErrorCode(failure)))
            .finally(() => setOpening(false));
        }}
      >
        <Icon name="image" />
        <span>{opening ? t("opening") : t("open")}</span>
      </button>
      {error ? (
        <span role="alert" className="chat-view-once-error">
          {errorText(error)}
        </span>
      ) : null}
      {viewer}
    </>
  );
}
