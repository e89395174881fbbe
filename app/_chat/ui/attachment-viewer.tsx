"use client";
// A picture full size, in a modal dialog (Escape, the close button or a click beside it closes it,
// and focus goes back to the picture in the message), with a link that saves it under its name.
// Loaded only when someone opens a picture.
import { useTranslations } from "next-intl";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { AttachmentIcon } from "./attachment-icons";

interface AttachmentViewerProps {
  /** The object URL of the local copy (the message's preview holds it while the viewer is open). */
  url: string;
  name: string;
  width: number | null;
  height: number | null;
  onClose: () => void;
}

export function AttachmentViewer({ url, name, width, height, onClose }: AttachmentViewerProps) {
  const t = useTranslations("chat.attachments");
  return (
    <ModalDialog open onClose={onClose} title={name} className="dialog-media">
      <figure className="lightbox" data-testid="attachment-viewer">
        {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL, which next/image could not fetch */}
        <img className="lightbox-image" src={url} alt={name} width={width ?? undefined} height={height ?? undefined} />
      </figure>
      <div className="dialog-actions">
        {/* The local copy's object URL: saving needs no request to anyone. */}
        <a
          className="button button-quiet chat-viewer-save"
          href={url}
          download={name}
          aria-label={t("downloadNamed", { name })}
          data-testid="attachment-viewer-download"
        >
          <AttachmentIcon name="download" />
          <span aria-hidden="true">{t("download")}</span>
        </a>
      </div>
    </ModalDialog>
  );
}
